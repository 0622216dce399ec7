"""Recording a visit: device picker, Record / Pause / Resume / Stop, level meter, elapsed time, live transcript.

The view polls level and elapsed time ten times a second (cheap attribute
reads) and appends live segments as the ``Recording`` signals them; all audio
work happens on the recording's threads. The words of a sentence still being
spoken are shown as they are heard, on a greyed, italic provisional line at
the bottom (``asr.streaming.Provisional``) that each batch of live lines
replaces: the transcriber decides what it says, the view only shows it.

The patient's date of birth and MRN are optional and may be typed before or during the visit. The store's
checks (``ambientnote.store.patient``) judge them as each field is left: a mistake is said beside the fields
in the store's own sentence and the text stays for fixing; Record, Import and Stop wait until it is fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ambientnote.asr.streaming import Provisional
from ambientnote.capture.microphone import AudioSource
from ambientnote.errors import InputError
from ambientnote.gui import operations as ops
from ambientnote.gui.recording import Recording, SourceFactory, input_devices
from ambientnote.gui.widgets import button, named
from ambientnote.store import patient
from ambientnote.visits.recorder import file_source

DETAILS_HELP = ("Optional, printed in the note's header: date of birth as YYYY-MM-DD (e.g. 1961-03-14); MRN of "
                "letters, digits, '-' or '/'.")


def clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:d}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:02d}:{s % 60:02d}"


class RecordView(QWidget):
    """Emits ``recorded(recording, transcript, audio)`` when the transcript is final after Stop."""

    recorded = Signal(object, object, object)
    state_changed = Signal(str)

    def __init__(self, ctx: ops.Context, source_factory: SourceFactory) -> None:
        super().__init__()
        self.ctx = ctx
        self.source_factory = source_factory
        self.recording: Recording | None = None
        self.details = patient.PatientDetails()  # the date of birth and MRN as last accepted
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.patient = named(QLineEdit(), "Patient label", "A label you will recognise (kept encrypted)")
        self.birth_date = named(QLineEdit(), "Date of birth", patient.BIRTH_DATE_HELP)
        self.birth_date.setPlaceholderText("YYYY-MM-DD")
        self.mrn = named(QLineEdit(), "MRN", patient.MRN_HELP)
        self.details_help = named(QLabel(DETAILS_HELP), "Patient details help")
        self.details_error = named(QLabel(), "Patient details error")
        self.details_error.setStyleSheet("color: palette(highlighted-text); background: palette(highlight); "
                                         "padding: 4px; border-radius: 4px;")
        self.details_error.hide()
        for field in (self.birth_date, self.mrn):
            field.editingFinished.connect(self.check_details)
        self.device = named(QComboBox(), "Input device", "The microphone to record from")
        details = QHBoxLayout()
        details.addWidget(self.birth_date, 1)
        details.addWidget(QLabel("MRN"))
        details.addWidget(self.mrn, 1)
        form.addRow("Patient", self.patient)
        form.addRow("Date of birth", details)
        form.addRow("", self.details_help)
        form.addRow("", self.details_error)
        form.addRow("Input", self.device)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.record_button = button("Record", tip="Start recording", shortcut="Ctrl+Shift+R")
        self.pause_button = button("Pause", tip="Pause: nothing is recorded until Resume", shortcut="Ctrl+Shift+P")
        self.stop_button = button("Stop", tip="End the visit and draft the note", shortcut="Ctrl+Shift+X")
        self.record_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop)
        for b in (self.record_button, self.pause_button, self.stop_button):
            row.addWidget(b)
        self.level = named(QProgressBar(), "Input level")
        self.level.setRange(0, 100)
        self.level.setTextVisible(False)
        self.elapsed = named(QLabel("00:00"), "Elapsed time")
        self.status = named(QLabel("Ready."), "Recording status")
        row.addWidget(self.level, 1)
        row.addWidget(self.elapsed)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.transcript = named(QListWidget(), "Live transcript")
        self.transcript.setWordWrap(True)
        self.provisional: QListWidgetItem | None = None  # the line still being spoken, last in the list
        layout.addWidget(self.transcript, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._tick)
        self._set_buttons("idle")

    def prepare(self, configured_device: str | None = None) -> None:
        """A fresh form for a new visit."""
        self._clear_patient()
        self._clear_transcript()
        self.elapsed.setText("00:00")
        self.level.setValue(0)
        self.status.setText("Ready.")
        self.device.clear()
        self.device.addItem("System default", None)
        for dev_id, name in input_devices():
            self.device.addItem(name, dev_id)
        if configured_device:
            index = self.device.findData(configured_device)
            self.device.setCurrentIndex(max(index, 0))
        self._set_buttons("idle")
        self.patient.setFocus()

    def _clear_patient(self) -> None:
        for field in (self.patient, self.birth_date, self.mrn):
            field.clear()
        self.details = patient.PatientDetails()
        self.details_error.hide()

    def check_details(self) -> bool:
        """Accept the date of birth and MRN as typed when the store's checks pass; otherwise show its sentence
        beside them and keep the text (a valid field is still accepted). True: both are right."""
        accepted, sentences = {}, []
        for name, field, check in (("birth_date", self.birth_date, patient.birth_date),
                                   ("mrn", self.mrn, patient.mrn)):
            try:
                accepted[name] = check(field.text())
            except InputError as exc:
                sentences.append(str(exc))
        self.details = replace(self.details, **accepted)
        self.details_error.setText(" ".join(sentences))
        self.details_error.setVisible(bool(sentences))
        return not sentences

    def _set_buttons(self, state: str) -> None:
        self.record_button.setEnabled(state == "idle")
        self.pause_button.setEnabled(state in ("recording", "paused"))  # an import has nothing to pause
        self.pause_button.setText("Resume" if state == "paused" else "Pause")
        self.pause_button.setAccessibleName("Resume" if state == "paused" else "Pause")
        self.stop_button.setEnabled(state in ("recording", "paused", "importing"))
        self.device.setEnabled(state == "idle")
        for field in (self.birth_date, self.mrn):  # fixed once Stop is pressed: the visit is saved with them
            field.setEnabled(state != "stopping")
        self.state_changed.emit(state)

    @property
    def label(self) -> str:
        return self.patient.text().strip() or "Unnamed patient"

    def start(self) -> None:
        """Record from the chosen microphone."""
        device, factory = self.device.currentData(), self.source_factory
        self._begin(lambda: factory(device), "Recording. The transcript appears as the visit goes.")

    def import_file(self, path: Path) -> None:
        """An audio file as the visit: read through the same capture, spool and live transcription as the room's
        microphone, as fast as the transcriber takes it; it ends by itself at the file's end."""
        if not self.patient.text().strip():
            self.patient.setText(path.stem)
        self._begin(lambda: file_source(path), f"Importing {path.name}: the transcript appears as it is read.",
                    until_end=True)

    def _begin(self, factory: Callable[[], AudioSource], status: str, *, until_end: bool = False) -> None:
        if self.ctx.session is None or self.recording is not None or not self.check_details():
            return
        self.recording = rec = Recording(self.ctx.session, self.ctx.home, factory, self.label, self,
                                         until_end=until_end)
        rec.segments.connect(self._segments)
        rec.finished.connect(self._finished)
        rec.failed.connect(self._failed)
        rec.start()
        if rec.state == "recording":
            self.patient.editingFinished.connect(self._label_changed)
            self.status.setText(status)
            self.timer.start()
            self._set_buttons("importing" if until_end else "recording")

    def _label_changed(self) -> None:
        if self.recording is not None and self.recording.state in ("recording", "paused"):
            self.recording.set_label(self.label)

    def toggle_pause(self) -> None:
        rec = self.recording
        if rec is None:
            return
        if rec.state == "recording":
            rec.pause()
            self.status.setText("Paused: nothing is being recorded.")
        elif rec.state == "paused":
            rec.resume()
            self.status.setText("Recording.")
        self._set_buttons(rec.state)

    def after_unlock(self) -> None:
        """Back from the lock screen to the recording it hid: say what happened while it was locked."""
        rec = self.recording
        if rec is None:
            return
        if rec.state == "paused":
            self.status.setText("Still paused while the app was locked; nothing was recorded. Resume to go on, "
                                "or Stop to draft the note.")
        elif rec.state == "recording":
            self.status.setText("Recording: it went on, encrypted, while the app was locked.")
        self._set_buttons("importing" if rec.state == "recording" and rec.service.until_end else rec.state)

    def set_aside(self) -> None:
        """Another account unlocked the app: end the recording untranscribed and clear it from this page. Its
        encrypted spool stays on disk; its owner is offered it for recovery when they next unlock."""
        rec, self.recording = self.recording, None
        if rec is None:
            return
        rec.segments.disconnect(self._segments)  # nothing of it reaches the next account's screen
        rec.finished.disconnect(self._finished)
        rec.failed.disconnect(self._failed)
        rec.set_aside()
        self.timer.stop()
        self._clear_patient()
        self._clear_transcript()
        self.elapsed.setText("00:00")
        self.level.setValue(0)
        self.status.setText("Ready.")
        self._set_buttons("idle")

    def stop(self) -> None:
        if self.recording is None or not self.check_details():  # the visit goes on until the details are right
            return
        self.recording.stop()
        self.status.setText("Finishing the transcript…")
        self._set_buttons("stopping")

    def _tick(self) -> None:
        rec = self.recording
        if rec is None:
            return
        self.elapsed.setText(clock(rec.seconds))
        self.level.setValue(0 if rec.state == "paused" else min(100, int(rec.level * 400)))

    def _segments(self, segments: list) -> None:
        """Live lines; every batch replaces the provisional line (with its own, or with the lines it became)."""
        self._drop_provisional()
        for seg in segments:
            if not isinstance(seg, Provisional):
                self.transcript.addItem(f"{clock(seg.start)}  {seg.role.value}: {seg.text}")
            elif seg.text:
                self.provisional = item = QListWidgetItem(f"{clock(seg.start)}  {seg.text}")
                item.setToolTip("Still being heard: this line may change when the sentence ends.")
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
                item.setForeground(self.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
                self.transcript.addItem(item)
        self.transcript.scrollToBottom()

    def _drop_provisional(self) -> None:
        if self.provisional is not None:
            self.transcript.takeItem(self.transcript.row(self.provisional))
            self.provisional = None

    def _clear_transcript(self) -> None:
        self.transcript.clear()
        self.provisional = None

    def live_lines(self) -> int:
        """Live lines shown (the provisional one not counted)."""
        return self.transcript.count() - (self.provisional is not None)

    def provisional_text(self) -> str | None:
        """What the provisional line shows, None when there is none."""
        return self.provisional.text() if self.provisional is not None else None

    def _finished(self, transcript: object, audio: object) -> None:
        """The final transcript. An import ends by itself: a detail still wrong then keeps the value last
        accepted (none if it never had one), and its sentence stays beside it."""
        self.check_details()
        self.timer.stop()
        self._drop_provisional()  # the final transcript has the words it showed
        rec, self.recording = self.recording, None
        self.status.setText("Transcript ready; drafting the note.")
        self._set_buttons("idle")
        self.recorded.emit(rec, transcript, audio)

    def _failed(self, sentence: str) -> None:
        self.timer.stop()
        self._drop_provisional()
        self.recording = None
        self.status.setText("Recording stopped.")
        self._set_buttons("idle")
        self.ctx.runner.failed.emit(sentence)
