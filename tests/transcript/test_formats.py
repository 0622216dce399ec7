"""Transcripts survive every format a clinician or a script uses, with segment ids intact (notes cite them)."""

from __future__ import annotations

import pytest

from ambientnote.errors import InputError
from ambientnote.transcript import Role, Segment, Transcript
from ambientnote.transcript.formats import load_transcript, parse_tagged_text, render


def test_tagged_text_roles_and_continuation_lines():
    t = parse_tagged_text("[doctor] how are you ?\n[patient] tired .\nsince monday .\n[patient_guest] she snores .")
    assert [(s.id, s.role) for s in t.segments] == [("s1", Role.clinician), ("s2", Role.patient), ("s3", Role.other)]
    assert t.segments[1].text == "tired . since monday ."


def test_doctor_colon_lines_as_mts_dialog_writes_them():
    t = parse_tagged_text("Doctor: When did it start?\nPatient: Two weeks ago.")
    assert [s.role for s in t.segments] == [Role.clinician, Role.patient]


def test_json_round_trip_keeps_ids_and_words(tmp_path):
    t = Transcript(segments=[Segment(id="s1", start=0.0, end=1.5, role=Role.patient, text="my knee hurts",
                                     words=[{"start": 0.0, "end": 0.4, "word": "my"}])])
    path = tmp_path / "t.json"
    path.write_text(render(t, "json"))
    assert load_transcript(path) == t


def test_subtitles_have_timings_and_roles():
    t = Transcript(segments=[Segment(id="s1", start=61.25, end=62.5, role=Role.clinician, text="hello")])
    assert "00:01:01,250 --> 00:01:02,500" in render(t, "srt") and "[doctor] hello" in render(t, "srt")
    vtt = render(t, "vtt")
    assert vtt.startswith("WEBVTT") and "<v doctor>hello" in vtt


def test_unreadable_inputs_are_one_sentence(tmp_path):
    bad = tmp_path / "t.json"
    bad.write_text("{not json")
    with pytest.raises(InputError, match="not a transcript JSON"):
        load_transcript(bad)
    with pytest.raises(InputError, match="does not exist"):
        load_transcript(tmp_path / "missing.txt")
