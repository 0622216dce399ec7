"""While a sentence is still being spoken, the record page already shows its words on a greyed, italic provisional
line, which the sentence's own live line replaces once it ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QPalette

from ambientnote.capture.microphone import FileSource
from ambientnote.config import load_settings
from ambientnote.gui import operations as ops
from ambientnote.gui.record_view import RecordView
from ambientnote.gui.runner import Runner
from ambientnote.store.accounts import init_store
from ambientnote.store.session import login

pytestmark = [pytest.mark.model, pytest.mark.timeout(600)]
PASSWORD = "clinician-pass-1"


def test_a_provisional_line_shows_the_sentence_being_spoken_until_its_live_line_replaces_it(
        qtbot, home: Path, short_sample: Path, asr_model) -> None:  # noqa: ANN001
    cfg = load_settings()
    init_store("dr_a", PASSWORD, cfg=cfg)[0].close()
    session = login("dr_a", PASSWORD, cfg=cfg)
    # The sample at the pace it was spoken, 0.1 s blocks as PortAudio delivers them, through MicrophoneCapture.
    view = RecordView(ops.Context(runner=Runner(), base_settings=cfg, session=session),
                      lambda _device: FileSource(short_sample, 0.1, realtime=True))
    qtbot.addWidget(view)
    view.show()
    view.prepare()
    view.patient.setText("Knee test patient")
    view.record_button.click()

    # "My right knee has been painful and swollen for about a week." takes 4 s: its start is shown before its end.
    qtbot.waitUntil(lambda: view.provisional_text() is not None, timeout=120_000)
    item, lines = view.provisional, view.live_lines()
    assert view.transcript.row(item) == view.transcript.count() - 1  # at the bottom, under the finished lines
    assert item.font().italic()
    assert item.foreground().color() == view.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert len(view.provisional_text().split()) >= 3  # the time and at least two words heard

    qtbot.waitUntil(lambda: view.live_lines() > lines, timeout=60_000)  # the sentence ended: its line came
    assert item not in [view.transcript.item(row) for row in range(view.transcript.count())]
    newest = view.transcript.item(lines).text()  # where the provisional line was
    assert ": " in newest and not view.transcript.item(lines).font().italic()  # final: role, no italics

    with qtbot.waitSignal(view.recorded, timeout=300_000) as finished:
        view.stop_button.click()
    recording, transcript, _audio = finished.args
    assert transcript.segments and view.provisional_text() is None  # the final transcript replaces it all
    recording.discard()
    session.close()
