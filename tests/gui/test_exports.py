"""The review screen's Copy as text, Export PDF and Export FHIR print what ``ambientnote note export`` prints."""

from __future__ import annotations

import base64
import json
import re

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from ambientnote.cli import main
from ambientnote.config import load_settings
from ambientnote.store.note_export import export_note
from ambientnote.store.session import login

pytestmark = pytest.mark.timeout(180)
CLIN_PW = "clinician-pass-2"  # conftest.py's ``encounter`` belongs to dr_b with this password


def test_copy_pdf_and_fhir_from_the_review_screen(qtbot, open_encounter, encounter, tmp_path, monkeypatch):
    window = open_encounter
    with login("dr_b", CLIN_PW, cfg=load_settings()) as s:
        txt, md = export_note(s, encounter, "txt"), export_note(s, encounter, "md")

    QGuiApplication.clipboard().clear()
    window.review.copy_action.trigger()
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == txt, timeout=20_000)

    suggested = []

    def save_as(path):  # noqa: ANN001, ANN202
        def dialog(_parent, _title, default, _filter):  # noqa: ANN001, ANN202
            suggested.append(default)
            return str(path), ""
        return dialog

    pdf, fhir = tmp_path / "note.pdf", tmp_path / "note.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as(pdf))
    window.review.pdf_action.trigger()
    qtbot.waitUntil(pdf.exists, timeout=20_000)
    document = pdfium.PdfDocument(pdf)
    printed = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    document.close()
    body = re.sub(r"Hayworth, R\. · \S+ · SOAP note v1 · Draft — not signed · Page \d+ of \d+", "", printed)
    assert re.findall(r"\w+", body) == re.findall(r"\w+", md)

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as(fhir))
    window.review.fhir_action.trigger()
    qtbot.waitUntil(fhir.exists, timeout=20_000)
    bundle = json.loads(fhir.read_text())
    attachment = bundle["entry"][0]["resource"]["content"][0]["attachment"]
    assert base64.b64decode(attachment["data"]).decode() == txt
    assert [s.rsplit("/", 1)[-1] for s in suggested] == [f"encounter-{encounter}-note-v1.pdf",
                                                          f"encounter-{encounter}-note-v1.fhir.json"]
    assert "Saved encounter" not in window.message.text()


def test_exports_from_the_review_screen_are_signed_and_verify(qtbot, open_encounter, tmp_path, monkeypatch):
    """A PDF or FHIR file saved from the review screen carries its ``.sig`` as ``note export --out`` does, so a
    compliance officer's ``audit verify --file`` accepts it, and refuses it once a byte of the note changes."""
    window = open_encounter
    for action, out in ((window.review.pdf_action, tmp_path / "note.pdf"),
                        (window.review.fhir_action, tmp_path / "note.fhir.json")):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, out=out: (str(out), ""))
        action.trigger()
        sig = out.with_name(out.name + ".sig")
        qtbot.waitUntil(sig.exists, timeout=20_000)
        checked = CliRunner().invoke(main, ["audit", "verify", "--file", str(out)])
        assert checked.exit_code == 0, checked.output
        assert f"{out.name} is unchanged and signed by this computer's installation key" in checked.output
        assert oct(sig.stat().st_mode & 0o777) == "0o600"

        out.write_bytes(out.read_bytes() + b" ")
        tampered = CliRunner().invoke(main, ["audit", "verify", "--file", str(out)])
        assert tampered.exit_code == 7 and "was changed after AmbientNote signed it" in tampered.output
