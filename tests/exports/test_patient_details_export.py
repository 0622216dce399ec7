"""A date of birth and MRN entered on an encounter head every export of its note: text, Markdown, PDF and FHIR;
they never reach a default file name."""

from __future__ import annotations

import json
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pypdfium2 as pdfium  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from ambientnote.cli import main  # noqa: E402
from ambientnote.exports.document import default_filename  # noqa: E402
from ambientnote.gui.pdf import write_pdf  # noqa: E402
from ambientnote.store.encounters import save_draft, set_patient_details  # noqa: E402
from ambientnote.store.note_export import export_document, export_note  # noqa: E402

from .conftest import CLIN_PW  # noqa: E402

DOB, MRN = "1961-03-14", "00-1234/5"
MR = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]}


def _patients(fhir_json: str) -> list[dict]:
    doc = json.loads(fhir_json)
    resources = doc.get("contained") or [e["resource"] for e in doc.get("entry", [])]
    return [r for r in resources if r["resourceType"] == "Patient"]


def test_every_export_heads_the_note_with_the_patients_details(clinician, sample_transcript, sample_note, tmp_path):
    eid = save_draft(clinician, patient_label="Hayworth, R.", transcript=sample_transcript, note_json=sample_note,
                     audio_path=None, model=sample_note.model, birth_date=DOB, mrn=MRN)
    header = "Hayworth, R., DOB 1961-03-14, MRN 00-1234/5"
    assert header in export_note(clinician, eid, "txt") and header in export_note(clinician, eid, "md")

    out = tmp_path / "note.pdf"
    write_pdf(export_document(clinician, eid, "pdf"), out, "letter")
    pdf = pdfium.PdfDocument(out)
    first_page = " ".join(pdf[0].get_textpage().get_text_range().split())
    pdf.close()
    assert header in first_page

    for fmt in ("fhir", "fhir-bundle"):
        (patient,) = _patients(export_note(clinician, eid, fmt))
        assert patient["birthDate"] == DOB and patient["name"] == [{"text": "Hayworth, R."}]
        assert patient["identifier"] == [{"type": MR, "value": MRN}]


def test_details_entered_later_reach_the_export_and_none_prints_nothing(clinician, stored):
    txt = export_note(clinician, stored, "txt")
    assert "DOB" not in txt and "MRN" not in txt
    (patient,) = _patients(export_note(clinician, stored, "fhir"))
    assert "birthDate" not in patient and "identifier" not in patient

    env = {"AMBIENTNOTE_USER": "dr_b", "AMBIENTNOTE_PASSWORD": CLIN_PW}
    result = CliRunner().invoke(main, ["encounter", "set", str(stored), "--dob", DOB, "--mrn", MRN], env=env)
    assert result.exit_code == 0 and result.output == f"Encounter {stored}: date of birth entered, MRN entered.\n"
    assert DOB not in result.output
    result = CliRunner().invoke(main, ["note", "export", str(stored)], env=env)
    assert "Hayworth, R., DOB 1961-03-14, MRN 00-1234/5" in result.output

    set_patient_details(clinician, stored, birth_date="")
    assert "Hayworth, R., MRN 00-1234/5" in export_note(clinician, stored, "txt")


def test_default_file_names_carry_no_patient_details(clinician, stored, tmp_path, monkeypatch):
    set_patient_details(clinician, stored, birth_date=DOB, mrn=MRN)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    monkeypatch.chdir(out_dir)
    env = {"AMBIENTNOTE_USER": "dr_b", "AMBIENTNOTE_PASSWORD": CLIN_PW}
    result = CliRunner().invoke(main, ["note", "export", str(stored), "--format", "pdf"], env=env)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == [f"encounter-{stored}-note-v1.pdf", f"encounter-{stored}-note-v1.pdf.sig"]
    assert default_filename(stored, 1, ".json") == f"encounter-{stored}-note-v1.json"
    for name in names:
        assert not any(part in name for part in ("1961", "03-14", "1234", "Hayworth"))
