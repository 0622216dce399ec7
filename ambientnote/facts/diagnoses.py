"""The diagnosis a note names where the visit says it in lay words (``models/lexicons/diagnoses.toml``).

Clinicians say "your high blood pressure" to the patient and write "Hypertension" in the chart; a patient whose
home readings are high while on lisinopril has hypertension, which "elevated blood pressure" understates. The
guard accepts the clinical name only where the cited turns say the lay name, or the reading and the drug.
"""

from __future__ import annotations

import re

from ambientnote.facts.lexicon import lexicon
from ambientnote.facts.schema import Medication, PlanItem, Problem


def _words(name: str) -> str:
    return rf"\b{re.escape(name)}\b"


def treating(diagnosis: str, medications: list[Medication]) -> list[Medication]:
    """The medications of ``medications`` taken for ``diagnosis``."""
    drugs = set(lexicon("diagnoses")["treated_by"].get(diagnosis, ()))
    return [m for m in medications if m.name.lower() in drugs]


def clinical_name(problem: Problem, medications: list[Medication]) -> tuple[str, list[str]]:
    """The note's name for ``problem`` and the evidence that bears it out (the drug's turns added to the reading's)."""
    table = lexicon("diagnoses")
    name = problem.name.lower()
    if name in table["clinical"]:
        return table["clinical"][name], problem.evidence
    if name in table["elevated"] and (drugs := treating(table["elevated"][name], medications)):
        return table["elevated"][name], [*problem.evidence, *(e for m in drugs for e in m.evidence
                                                              if e not in problem.evidence)]
    return problem.name, problem.evidence


def clinical_problems(problems: list[Problem], plan: list[PlanItem], medications: list[Medication]) -> list[Problem]:
    """``problems`` under the note's names, one problem where two names meet ("high blood pressure" beside
    "hypertension"); the plan items of a renamed problem follow it."""
    out: dict[str, Problem] = {}
    for problem in problems:
        name, evidence = clinical_name(problem, medications)
        for item in plan:
            if item.problem == problem.name:
                item.problem = name
        if name in out:
            out[name].evidence += [e for e in evidence if e not in out[name].evidence]
        else:
            out[name] = problem.model_copy(update={"name": name, "evidence": evidence})
    return list(out.values())


def named_clinically(said: str) -> set[str]:
    """Diagnoses the turns ``said`` bear in their clinical name: the lay name said, or the reading and the drug."""
    table = lexicon("diagnoses")
    found = {clinical for lay, clinical in table["clinical"].items() if re.search(_words(lay), said, re.I)}
    for reading, clinical in table["elevated"].items():
        measured = reading.removeprefix("elevated ")
        if re.search(_words(measured), said, re.I) and any(
                re.search(_words(drug), said, re.I) for drug in table["treated_by"].get(clinical, ())):
            found.add(clinical)
    return found
