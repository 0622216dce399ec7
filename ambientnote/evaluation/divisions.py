"""ACI-Bench's four note divisions: per-division references from the files beside the CSV, and ours.

ACI-Bench ships each reference note split into subjective, objective exam,
objective results, and assessment and plan (``valid_subjective.json`` … beside
``valid.csv``); scoring each division shows where a draft is weak, which a
whole-note ROUGE hides.
"""

from __future__ import annotations

import json
from pathlib import Path

from ambientnote.notes.schema import Note

DIVISIONS = ("subjective", "objective_exam", "objective_results", "assessment_and_plan")
# subsection key (or, for other templates, section key) → division
_DIVISION_OF = {
    "chief_complaint": "subjective", "hpi": "subjective", "ros": "subjective", "subjective": "subjective",
    "medications": "subjective", "history": "subjective",
    "family_history": "subjective", "social_history": "subjective",
    "vitals": "objective_exam", "exam": "objective_exam", "objective": "objective_exam",
    "results": "objective_results",
    "assessment": "assessment_and_plan", "plan": "assessment_and_plan", "assessment_plan": "assessment_and_plan",
    "assessment_and_plan": "assessment_and_plan",
}


def load_division_references(data: Path) -> dict[str, dict[str, str]]:
    """{encounter id: {division: reference text}} from ``<stem>_<division>.json`` beside ``<stem>.csv``."""
    out: dict[str, dict[str, str]] = {}
    for division in DIVISIONS:
        path = data.with_name(f"{data.stem}_{division}.json")
        if not path.is_file():
            return {}
        for item in json.loads(path.read_text(encoding="utf-8"))["data"]:
            encounter = item["file"].split("-", 1)[0]
            out.setdefault(encounter, {})[division] = item["tgt"].strip()
    return out


def division_texts(note: Note) -> dict[str, str]:
    """The draft's text per division, headings included as in the references."""
    parts: dict[str, list[str]] = {d: [] for d in DIVISIONS}
    for section in note.sections:
        for sub in section.subsections:
            division = _DIVISION_OF.get(sub.key) or _DIVISION_OF.get(section.key)
            if division and sub.statements:
                parts[division].append("\n".join([sub.title, *(st.text for st in sub.statements)]))
    return {d: "\n\n".join(texts) for d, texts in parts.items()}
