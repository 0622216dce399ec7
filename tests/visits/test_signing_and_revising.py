"""Signing and revising as services, on a real SQLCipher store: what any face (the window, a script) gets."""

from __future__ import annotations

import pytest

from ambientnote.audit.events import AuditEvent
from ambientnote.audit.export import select_events
from ambientnote.errors import InputError, StoreLocked
from ambientnote.notes.schema import Note, Section, Statement, Subsection
from ambientnote.store.encounters import list_encounters, show_encounter
from support.store import CLIN_PW
from ambientnote.visits.revise import AMENDMENTS, add_to_addendum, replace_section, reworded
from ambientnote.visits.save import save_revision, save_visit
from ambientnote.visits.signing import ATTESTATION, sign_visit, status_text


def _note(flags: list[str]) -> Note:
    statements = [Statement(text="Knee pain for two weeks.", evidence=["s1"]),
                  Statement(text="Takes warfarin.", evidence=["s2"], flags=flags)]
    return Note(template="soap", model="test", sections=[
        Section(key="subjective", title="Subjective", subsections=[Subsection(key="hpi", title="HPI",
                                                                              statements=statements)])])


def test_flagged_statements_must_be_acknowledged_to_sign(clinician, admin, transcript):
    eid = save_visit(clinician, patient_label="A", transcript=transcript, note=_note(["not in the transcript"]))
    with pytest.raises(StoreLocked):
        sign_visit(clinician, eid, "wrong", flags_acknowledged=1)
    with pytest.raises(InputError, match="1 statement\\(s\\) are still flagged"):
        sign_visit(clinician, eid, CLIN_PW)
    assert show_encounter(clinician, eid).latest.status == "draft"  # nothing signed
    assert sign_visit(clinician, eid, CLIN_PW, flags_acknowledged=1) == 1
    rows, _ = select_events(admin)
    signed = [e for e in map(AuditEvent.from_row, rows) if e.subtype == "sign"]
    assert [e.detail_dict() for e in signed] == [{"version": 1, "attestation": ATTESTATION, "flags_acknowledged": 1}]


def test_status_reads_signed_then_amending_then_amended(clinician, transcript):
    eid = save_visit(clinician, patient_label="A", transcript=transcript, note=_note([]))

    def status() -> str:
        return status_text(next(s for s in list_encounters(clinician) if s.id == eid))

    assert status() == "draft"
    sign_visit(clinician, eid, CLIN_PW)
    assert status() == "signed"
    save_revision(clinician, eid, add_to_addendum(_note([]), "Amended by dr_b: wrong side.", AMENDMENTS))
    assert status() == "amending (signed v1)"
    sign_visit(clinician, eid, CLIN_PW)
    assert status() == "amended (signed v2)"


def test_a_reworded_statement_is_the_clinicians_without_the_drafts_evidence():
    drafted = Statement(text="Takes warfarin.", evidence=["s2"], flags=["not in the transcript"])
    assert reworded(drafted, " Takes  warfarin. ") is drafted  # the same words: still the draft's, still flagged
    mine = reworded(drafted, "Takes apixaban 5 mg twice daily.")
    assert (mine.author, mine.evidence, mine.flags) == ("clinician", [], [])
    assert reworded(drafted, "  ") is None
    with pytest.raises(ValueError):
        Statement(text="A drafted statement with no evidence.", evidence=[])


def test_a_section_drafted_again_replaces_only_that_section_and_only_when_it_differs():
    note = add_to_addendum(_note([]), "Seen with her daughter.")
    assert replace_section(note, _note([]), "subjective") is None  # reads the same: no new version
    fresh = _note(["not in the transcript"])
    replaced = replace_section(note, fresh, "subjective")
    assert replaced.sections[0] == fresh.sections[0]
    assert replaced.sections[1] == note.sections[1]  # the addendum stays
