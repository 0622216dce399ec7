"""Settings: the clinician's own preferences, where drafts and the audit trail may go, and (for an admin) the
routing thresholds.

Four groups, each field with one line of help: a clinician's preferences (template, microphone, route, PDF
paper); the safety settings, which every account sees and only an administrator changes: where drafts may go
(routing allowed, endpoint, de-identification) and where the audit trail is sent (the hospital's audit
repository over syslog and/or FHIR AuditEvent, ``ambientnote.audit.forward``); and the engineering thresholds
(models, when a visit counts as hard), which only an admin sees. What is locked, and why, comes from the store's
settings service (``store.safety.locked_settings``): what the site policy fixes, and the safety settings for
anyone but an admin. A locked field is greyed out with a lock on its label and the reason in its tooltip and below.
Saving goes through ``store.safety.save_settings``, the same service as the CLI: an admin's safety settings
to the encrypted store (audited), everything else to the user's settings file; locked keys are refused
there too, not only greyed out here.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ambientnote.access import AccountRole
from ambientnote.config import Route, Settings
from ambientnote.gui import operations as ops
from ambientnote.gui.recording import input_devices
from ambientnote.gui.widgets import button, named
from ambientnote.notes.layout import available_layouts

PREFERENCES, SAFETY, AUDIT, ENGINEERING = "preferences", "safety", "audit", "engineering"
GROUPS = [(PREFERENCES, "Your preferences"), (SAFETY, "Where drafts may go (set by an administrator)"),
          (AUDIT, "Where the audit trail is sent (set by an administrator)"),
          (ENGINEERING, "Models and routing thresholds (administrators only)")]
FIELDS = [  # (settings key, label, kind, group, one line of help)
    ("note_template", "Note template", "template", PREFERENCES, "The layout a new draft is written in."),
    ("input_device", "Input device", "device", PREFERENCES, "The microphone Record listens to."),
    ("route", "Route", "route", PREFERENCES, "Whether a hard visit may be drafted by the hospital's server."),
    ("pdf_paper", "PDF paper", "paper", PREFERENCES,
     "The page size of exported PDFs (automatic: Letter where the system measures in inches, else A4)."),
    ("routing_allowed", "On-prem routing allowed", "bool", SAFETY,
     "Whether any draft may leave this computer for the hospital's server."),
    ("onprem_url", "On-prem LLM endpoint", "text", SAFETY, "The address of the hospital's language-model server."),
    ("onprem_deid", "De-identify before sending", "bool", SAFETY,
     "Replace names, dates, places and numbers before a draft is sent."),
    ("audit_repository", "Audit repository (syslog)", "text", AUDIT,
     "HOST:PORT of the hospital's audit record repository; each audit event goes there over TLS."),
    ("audit_repository_fhir", "Audit repository (FHIR)", "text", AUDIT,
     "Base URL (https) of the hospital's FHIR server; each audit event goes there as an AuditEvent."),
    ("asr_model", "Speech model", "text", ENGINEERING, "The speech recognizer; larger is more accurate and slower."),
    ("note_model", "Note model", "text", ENGINEERING, "A local language model (the composer needs none)."),
    ("onprem_timeout_s", "On-prem timeout (seconds)", "number", ENGINEERING,
     "How long to wait for the server's whole answer."),
    ("route_context_share", "Escalate from this share of the local context", "number", ENGINEERING,
     "A visit this long for the local model counts as hard."),
    ("route_min_confidence", "Escalate below this speech confidence", "number", ENGINEERING,
     "A recording heard this poorly counts as hard."),
    ("route_max_problems", "Escalate above this many problems", "number", ENGINEERING,
     "A visit naming more problems counts as hard."),
    ("route_max_medications", "Escalate above this many medications", "number", ENGINEERING,
     "A visit naming more medications counts as hard."),
    ("route_max_unsupported", "Escalate above this many flagged statements", "number", ENGINEERING,
     "A local draft with more statements the guard doubts counts as hard."),
    ("route_max_unsupported_share", "Refuse an on-prem answer above this flagged share", "number", ENGINEERING,
     "An on-prem draft the guard doubts this much is not used."),
]
ROUTES = [(Route.auto, "Auto: hard visits go to the on-prem model"), (Route.local, "Local: never leave this computer"),
          (Route.onprem, "On-prem: always ask the on-prem model")]
PAPERS = [("auto", "Automatic (by this computer's region)"), ("letter", "Letter"), ("a4", "A4")]
LOCK = "\N{LOCK} "


class SettingsView(QWidget):
    def __init__(self, ctx: ops.Context) -> None:
        super().__init__()
        self.ctx = ctx
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        scroll.setWidget(page)
        outer.addWidget(scroll, 1)
        self.groups: dict[str, QGroupBox] = {}
        forms: dict[str, QFormLayout] = {}
        for group, title in GROUPS:
            self.groups[group] = box = QGroupBox(title)
            forms[group] = QFormLayout(box)
            layout.addWidget(box)
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.help: dict[str, QLabel] = {}
        for key, label, kind, group, help_line in FIELDS:
            widget = named(QComboBox() if kind in ("template", "device", "route", "paper") else
                           QCheckBox() if kind == "bool" else QLineEdit(), label)
            self.fields[key] = widget
            self.labels[key] = QLabel(label)
            self.help[key] = named(QLabel(help_line), f"{label} help")
            self.help[key].setStyleSheet("color: palette(placeholder-text);")
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(widget, 1)
            line.addWidget(self.help[key], 2)
            forms[group].addRow(self.labels[key], row)
        layout.addStretch(1)
        self.save_button = button("Save settings", tip="Save your settings (an admin's safety settings go to the "
                                  "store)", shortcut="Ctrl+Shift+W")
        self.save_button.clicked.connect(self.save)
        self.note = named(QLabel(), "Settings note")
        self.note.setWordWrap(True)
        outer.addWidget(self.save_button)
        outer.addWidget(self.note)
        self._locked: dict[str, str] = {}

    def locked(self) -> dict[str, str]:
        """The fields this account may not change, each with the sentence that says why."""
        return self._locked

    def refresh(self) -> None:
        self._locked = ops.locked_settings(self.ctx)
        current, locked = self.ctx.settings, self._locked
        self.groups[ENGINEERING].setVisible(self.is_admin())
        for key, label, kind, _group, help_line in FIELDS:
            widget, value = self.fields[key], getattr(current, key)
            if isinstance(widget, QComboBox):
                widget.clear()
                if kind == "template":
                    widget.addItems(available_layouts())
                    widget.setCurrentText(str(value))
                else:
                    choices = [(None, "System default"), *input_devices()] if kind == "device" else \
                        ROUTES if kind == "route" else PAPERS
                    for data, text in choices:
                        widget.addItem(text, data)
                    widget.setCurrentIndex(max(0, widget.findData(value)))
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QLineEdit):
                widget.setText("" if value is None else str(value))
            is_locked = key in locked
            widget.setEnabled(not is_locked)
            self.labels[key].setText((LOCK if is_locked else "") + label)
            tip = locked.get(key, help_line)
            widget.setToolTip(tip)
            widget.setAccessibleDescription(tip)
        reasons = sorted({reason for key, reason in locked.items() if key in self.fields})
        self.note.setText(f"Fields marked with a lock cannot be changed here. {' '.join(reasons)}" if reasons else "")

    def is_admin(self) -> bool:
        return AccountRole.admin in self.ctx.roles

    def values(self) -> dict[str, object]:
        """The form's values this account may change (locked fields, and thresholds it does not see, left out)."""
        out: dict[str, object] = {}
        for key, _label, kind, group, _help in FIELDS:
            widget = self.fields[key]
            if key in self.locked() or (group == ENGINEERING and not self.is_admin()):
                continue
            if isinstance(widget, QComboBox):
                out[key] = widget.currentText() if kind == "template" else widget.currentData()
            elif isinstance(widget, QCheckBox):
                out[key] = widget.isChecked()
            elif isinstance(widget, QLineEdit) and kind == "number":
                if text := widget.text().strip():
                    out[key] = _number(key, text)
            elif isinstance(widget, QLineEdit):
                out[key] = widget.text().strip() or None
        return out

    def save(self) -> None:
        current = self.ctx.settings
        values = {k: v for k, v in self.values().items() if v != getattr(current, k)}  # defaults stay defaults
        ops.save_settings(self.ctx, values, lambda _r: self._saved())

    def _saved(self) -> None:
        self.refresh()
        self.note.setText("Settings saved; they apply to the next recording.")


def _number(key: str, text: str) -> int | float | str:
    """The field's number (int or float, as the setting is typed); bad text is left for validation to refuse."""
    kind = Settings.model_fields[key].annotation
    try:
        return int(text) if kind is int else float(text)
    except ValueError:
        return text
