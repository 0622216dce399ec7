"""Settings: models, template, input device, on-prem routing. Fields this account may not change are locked.

What is locked, and why, comes from the store's settings service (``store.safety.locked_settings``): what
the site policy fixes, and the safety settings (routing allowed, endpoint, de-identification), which only an
administrator changes. A locked field is greyed out with a lock on its label and the reason beside it.
Saving goes through ``store.safety.save_settings``, the same service as the CLI: an admin's safety settings
to the encrypted store (audited), everything else to the user's settings file; locked keys are refused
there too, not only greyed out here.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ambientnote.gui import operations as ops
from ambientnote.gui.recording import input_devices
from ambientnote.gui.widgets import button, named

FIELDS = [  # (settings key, label, kind)
    ("asr_model", "Speech model", "text"),
    ("note_model", "Note model", "text"),
    ("note_template", "Note template", "template"),
    ("input_device", "Input device", "device"),
    ("route", "Route", "route"),
    ("routing_allowed", "On-prem routing allowed", "bool"),
    ("onprem_url", "On-prem LLM endpoint", "text"),
    ("onprem_deid", "De-identify before sending", "bool"),
    ("onprem_timeout_s", "On-prem timeout (seconds)", "number"),
    ("route_context_share", "Escalate from this share of the local context", "number"),
    ("route_min_confidence", "Escalate below this speech confidence", "number"),
    ("route_max_problems", "Escalate above this many problems", "number"),
    ("route_max_medications", "Escalate above this many medications", "number"),
    ("route_max_unsupported", "Escalate above this many flagged statements", "number"),
    ("route_max_unsupported_share", "Refuse an on-prem answer above this flagged share", "number"),
]
ROUTES = [("auto", "Auto: hard visits go to the on-prem model"), ("local", "Local: never leave this computer"),
          ("onprem", "On-prem: always ask the on-prem model")]
LOCK = "\N{LOCK} "


class SettingsView(QWidget):
    def __init__(self, ctx: ops.Context) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        for key, label, kind in FIELDS:
            widget = named(QComboBox() if kind in ("template", "device", "route") else
                           QCheckBox() if kind == "bool" else QLineEdit(), label)
            self.fields[key] = widget
            self.labels[key] = QLabel(label)
            self.form.addRow(self.labels[key], widget)
        layout.addLayout(self.form)
        self.save_button = button("Save settings", tip="Save to your settings file", shortcut="Ctrl+Shift+W")
        self.save_button.clicked.connect(self.save)
        self.note = named(QLabel(), "Settings note")
        self.note.setWordWrap(True)
        layout.addWidget(self.save_button)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self._locked: dict[str, str] = {}

    def locked(self) -> dict[str, str]:
        """The fields this account may not change, each with the sentence that says why."""
        return self._locked

    def refresh(self) -> None:
        from ambientnote.config import settings
        from ambientnote.notes.layout import available_layouts

        self._locked = ops.locked_settings(self.ctx)
        current, locked = settings(), self._locked
        for key, label, kind in FIELDS:
            widget, value = self.fields[key], getattr(current, key)
            if kind == "template":
                widget.clear()
                widget.addItems(available_layouts())
                widget.setCurrentText(str(value))
            elif kind == "device":
                widget.clear()
                widget.addItem("System default", None)
                for dev_id, name in input_devices():
                    widget.addItem(name, dev_id)
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif kind == "route":
                widget.clear()
                for route, text in ROUTES:
                    widget.addItem(text, route)
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif kind == "bool":
                widget.setChecked(bool(value))
            else:
                widget.setText("" if value is None else str(value))
            is_locked = key in locked
            widget.setEnabled(not is_locked)
            self.labels[key].setText((LOCK if is_locked else "") + label)
            tip = locked.get(key, "")
            widget.setToolTip(tip)
            widget.setAccessibleDescription(tip)
        reasons = sorted({reason for key, reason in locked.items() if key in self.fields})
        self.note.setText(f"Fields marked with a lock cannot be changed here. {' '.join(reasons)}" if reasons else "")

    def values(self) -> dict:
        out = {}
        for key, _label, kind in FIELDS:
            widget = self.fields[key]
            if key in self.locked():
                continue
            if kind == "template":
                out[key] = widget.currentText()
            elif kind in ("device", "route"):
                out[key] = widget.currentData()
            elif kind == "bool":
                out[key] = widget.isChecked()
            elif kind == "number":
                text = widget.text().strip()
                if text:
                    out[key] = _number(key, text)
            else:
                out[key] = widget.text().strip() or None
        return out

    def save(self) -> None:
        from ambientnote.config import settings

        current = settings()
        values = {k: v for k, v in self.values().items() if v != getattr(current, k)}  # defaults stay defaults
        ops.save_settings(self.ctx, values, lambda _r: self._saved())

    def _saved(self) -> None:
        self.refresh()
        self.note.setText("Settings saved; they apply to the next recording.")


def _number(key: str, text: str) -> int | float | str:
    """The field's number (int or float, as the setting is typed); bad text is left for validation to refuse."""
    from ambientnote.config import Settings

    kind = Settings.model_fields[key].annotation
    try:
        return int(text) if kind is int else float(text)
    except ValueError:
        return text
