"""A stored note leaves the app the same way through every face: header, needs-review list, the note's own words."""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from ambientnote.cli import main
from ambientnote.errors import InputError
from ambientnote.exports.document import default_filename
from ambientnote.notes.guard import guard_note
from ambientnote.notes.render import render_note
from ambientnote.notes.schema import Note
from ambientnote.store import encounters as enc
from ambientnote.store.note_export import export_document, export_note
from ambientnote.visits.signing import ATTESTATION  # the words the Sign dialog shows

from .conftest import CLIN_PW

NEW_YORK = ZoneInfo("America/New_York")


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"AMBIENTNOTE_USER": "dr_b", "AMBIENTNOTE_PASSWORD": CLIN_PW})
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return result.output


def clinic_time(iso: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return datetime.fromisoformat(iso).astimezone(NEW_YORK).strftime(fmt)


def test_note_export_prints_the_note_not_its_json(clinician, stored, sample_note):
    txt = export_note(clinician, stored, "txt")
    assert "SECTIONS" not in txt and "subjective;" not in txt and "evidence" not in txt  # the old data dump
    assert render_note(sample_note, "txt") in txt  # exactly what `ambientnote draft` prints, under a header
    assert "CHIEF COMPLAINT\n\nElevated blood pressure and headache." in txt
    assert "Increase lisinopril to 20 mg every morning." in txt


def test_every_face_renders_the_same_document(clinician, stored, sample_note):
    txt, md = export_note(clinician, stored, "txt"), export_note(clinician, stored, "md")
    assert cli("note", "export", str(stored), "--format", "txt") == txt
    assert cli("note", "export", str(stored), "--format", "md") == md
    assert cli("encounter", "show", str(stored)).endswith(txt)
    assert md.count("# SOAP note") == 1 and render_note(sample_note, "md") in md
    doc = json.loads(export_note(clinician, stored, "fhir"))
    attachments = {a["attachment"]["contentType"]: base64.b64decode(a["attachment"]["data"]).decode()
                   for a in doc["content"]}
    assert attachments == {"text/plain; charset=utf-8": txt, "text/markdown; charset=utf-8": md}
    bundle = json.loads(export_note(clinician, stored, "fhir-bundle"))
    assert bundle["entry"][0]["resource"]["content"] == doc["content"]


def test_header_says_whose_note_when_and_in_what_state(clinician, stored, local_zone):
    detail = enc.show_encounter(clinician, stored)
    draft = export_note(clinician, stored, "txt")
    start, end = detail.summary.started_at, detail.summary.ended_at
    zone = datetime.fromisoformat(start).astimezone(NEW_YORK).tzname()
    assert draft.startswith(
        f"DRAFT — NOT SIGNED\n\nPATIENT: Hayworth, R.\nVISIT: {clinic_time(start)} to {clinic_time(end, '%H:%M')} {zone}\n"
        "CLINICIAN: dr_b\nNOTE: SOAP note, version 1 (Draft, not signed)\n")
    assert "signed by" not in draft and "VERSION HISTORY" not in draft and ATTESTATION not in draft
    assert export_note(clinician, stored, "md").startswith("**Draft — not signed**\n\n**Patient:** Hayworth, R.")

    enc.sign_note(clinician, stored)
    signed_at = enc.show_encounter(clinician, stored).notes[0].signed_at
    signed = export_note(clinician, stored, "txt")
    assert "NOTE: SOAP note, version 1 (Signed)\n" in signed and "NOT SIGNED" not in signed
    # The signer's attestation, word for word what the Sign dialog showed them, with when they signed.
    assert f"\nElectronically signed by dr_b on {clinic_time(signed_at)} {zone}. {ATTESTATION}\n" in signed
    assert f"**Electronically signed by dr_b on {clinic_time(signed_at)} {zone}.** {ATTESTATION}\n" in \
        export_note(clinician, stored, "md")

    note = Note.model_validate_json(enc.show_encounter(clinician, stored).latest.body)
    note.sections[0].subsections[0].statements[0].text = "Elevated blood pressure, headache."
    enc.edit_note(clinician, stored, note)
    amended = export_note(clinician, stored, "txt")
    assert "NOTE: SOAP note, version 2 (Amendment of signed version 1, not signed)\n" in amended
    assert amended.startswith("DRAFT — NOT SIGNED (AMENDS SIGNED VERSION 1)\n")
    assert "Electronically signed" not in amended
    history = amended.split("VERSION HISTORY\n\n")[1]
    assert history.startswith(f"Version 1: Signed; written ") and f"signed by dr_b at {clinic_time(signed_at)}" in history
    assert "Version 2: Amendment of signed version 1, not signed; written " in history
    enc.sign_note(clinician, stored)
    assert "NOTE: SOAP note, version 2 (Signed (amends signed version 1))" in export_note(clinician, stored, "txt")
    assert "version 1 (Signed)" in export_note(clinician, stored, "txt", version=1)


def test_statements_the_guard_doubts_are_listed_for_review(clinician, stored, sample_transcript):
    note = Note.model_validate_json(enc.show_encounter(clinician, stored).latest.body)
    plan = next(st for _, _, st in note.statements() if st.text.endswith("Increase lisinopril to 20 mg every morning."))
    plan.text = "Increase lisinopril to 40 mg."  # not what was said
    assert guard_note(note, sample_transcript) == 1
    enc.edit_note(clinician, stored, note)
    txt, md = export_note(clinician, stored, "txt"), export_note(clinician, stored, "md")
    review = txt.split("NEEDS REVIEW\n")[1].split("\n\n")[0]
    assert review.startswith('- Assessment and Plan › Hypertension: "Increase lisinopril to 40 mg." (')
    assert "## Needs review" in md and "Increase lisinopril to 40 mg." in md.split("## Needs review")[1].split("---")[0]
    assert "NEEDS REVIEW" not in export_note(clinician, stored, "txt", version=1)


def test_exports_are_audited_by_format_without_text(clinician, stored):
    for fmt in ("txt", "md", "fhir", "fhir-bundle"):
        export_note(clinician, stored, fmt)
    export_document(clinician, stored, "pdf")
    rows = clinician.store.conn.execute("SELECT detail FROM audit_event WHERE subtype = 'note-export'").fetchall()
    details = [json.loads(d) for (d,) in rows]
    assert [d["format"] for d in details] == ["txt", "md", "fhir", "fhir-bundle", "pdf"]
    assert all(d["version"] == 1 and "lisinopril" not in json.dumps(d) for d in details)


def test_a_version_that_is_not_a_note_is_one_sentence(clinician, stored):
    with pytest.raises(InputError, match="no note version 7"):
        export_note(clinician, stored, "txt", version=7)
    result = CliRunner().invoke(main, ["note", "edit", str(stored), "--file", __file__],
                                env={"AMBIENTNOTE_USER": "dr_b", "AMBIENTNOTE_PASSWORD": CLIN_PW})
    assert result.exit_code == 2 and "does not hold a note" in result.output and "Traceback" not in result.output


def test_default_file_names_carry_no_patient_name(clinician, stored, tmp_path, monkeypatch):
    name = default_filename(stored, 1, ".pdf")
    assert name == f"encounter-{stored}-note-v1.pdf"
    out = tmp_path / "exports"
    out.mkdir()
    monkeypatch.chdir(out)
    cli("note", "export", str(stored), "--format", "pdf")
    assert sorted(p.name for p in out.iterdir()) == [name, name + ".sig"]  # the detached signature beside it
    written = out / name
    assert not re.search(r"hayworth|\d{4}-\d\d-\d\d", written.name, re.I)
    assert written.stat().st_mode & 0o077 == 0  # a note is PHI: owner-only
