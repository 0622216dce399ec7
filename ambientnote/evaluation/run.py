"""``ambientnote eval``: draft every encounter of an ACI-Bench-style CSV and score the notes.

The report carries the copy baseline (the doctor's turns pasted as the note)
beside the drafts, because ROUGE alone rewards copying the conversation.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from pydantic import BaseModel

from ambientnote.config import Route, Settings
from ambientnote.datasets import read_aci_bench
from ambientnote.evaluation.divisions import DIVISIONS, division_texts, load_division_references
from ambientnote.evaluation.fact_recall import FACT_KINDS, FactCounts, fact_counts
from ambientnote.evaluation.metrics import ROUGE_TYPES, dialogue_copy_baseline, rouge, term_overlap
from ambientnote.evaluation.zero_shot import zero_shot_note
from ambientnote.notes.draft import COMPOSER, DraftStats, draft_note
from ambientnote.notes.llm import NoteModel
from ambientnote.notes.render import render_note
from ambientnote.notes.schema import Note
from ambientnote.notes.style import NOTE_FAULTS, empty_sections, note_faults
from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.router.route import draft_routed
from ambientnote.transcript.formats import parse_tagged_text


class EncounterScore(BaseModel):
    encounter_id: str
    rouge: dict[str, float]
    copy_baseline_rouge: dict[str, float]
    medications: tuple[int, int, int]
    problems: tuple[int, int, int] = (0, 0, 0)
    divisions: dict[str, dict[str, float]] = {}  # ROUGE per ACI-Bench division whose reference is not empty
    statements: int
    valid_evidence: int
    unsupported: int
    seconds: float
    tokens: int
    writer: str = "local"
    escalated: bool = False
    route_reasons: list[str] = []
    hard: bool = False  # the router's own criteria (not the clinician's request) call the visit hard
    route_message: str | None = None
    onprem_rouge: dict[str, float] | None = None  # the on-prem answer's own score, when it parsed (used or not)
    style_faults: dict[str, int] = {}  # note-style audit: statements per fault code (empty: no note to audit)
    style_fault_total: int = 0
    empty_sections: list[str] = []  # our subsections left empty where the reference has content
    facts: dict[str, FactCounts] = {}  # fact recall against the reference, per kind


class EvalReport(BaseModel):
    data: str
    model: str
    template: str
    encounters: list[EncounterScore]
    summary: dict[str, float]


def _division_scores(note: Note, references: dict[str, str]) -> dict[str, dict[str, float]]:
    ours = division_texts(note)
    return {d: rouge(ours[d], ref) for d, ref in references.items() if ref}


def _style_summary(scores: list[EncounterScore]) -> dict[str, float]:
    """Faults per note (a signed note has none), per code, and how many notes had none at all."""
    audited = [s for s in scores if s.style_faults]
    if not audited:
        return {}
    summary = {
        "style_audited": float(len(audited)),
        "style_faults_per_note": statistics.fmean(s.style_fault_total for s in audited),
        "notes_without_style_faults": float(sum(1 for s in audited if not s.style_fault_total)),
        "empty_sections_per_note": statistics.fmean(len(s.empty_sections) for s in audited),
    }
    return summary | {f"style_{code}_per_note": statistics.fmean(s.style_faults.get(code, 0) for s in audited)
                      for code in NOTE_FAULTS}


def _fact_summary(scores: list[EncounterScore]) -> dict[str, float]:
    """Recall and precision per kind of fact over all visits (counts summed first, then divided)."""
    if not any(s.facts for s in scores):
        return {}
    summary: dict[str, float] = {}
    for kind in FACT_KINDS:
        total = sum((s.facts[kind] for s in scores if kind in s.facts), FactCounts())
        summary |= {f"fact_{kind}_in_reference": float(total.in_reference),
                    f"fact_{kind}_in_draft": float(total.in_draft)}
        shares = {"recall": total.recall, "precision": total.precision}
        summary |= {f"fact_{kind}_{name}": value for name, value in shares.items() if value is not None}
        if kind == "vitals" and total.matched:
            summary["vitals_in_objective_share"] = total.in_objective / total.matched
    return summary


def _summary(scores: list[EncounterScore]) -> dict[str, float]:
    mean = statistics.fmean
    statements = sum(s.statements for s in scores)
    summary = {name: mean(s.rouge[name] for s in scores) for name in ROUGE_TYPES}
    for terms in ("medications", "problems"):
        both, in_ref, in_pred = (sum(getattr(s, terms)[i] for s in scores) for i in range(3))
        summary |= {f"{terms[:-1]}_recall": both / in_ref if in_ref else 1.0,
                    f"{terms[:-1]}_precision": both / in_pred if in_pred else 1.0}
    for division in DIVISIONS:
        scored = [s.divisions[division] for s in scores if division in s.divisions]
        if scored:
            summary |= {f"{division}_{name}": mean(d[name] for d in scored) for name in ROUGE_TYPES}
            summary[f"{division}_n"] = float(len(scored))
    summary |= {f"copy_{name}": mean(s.copy_baseline_rouge[name] for s in scores) for name in ROUGE_TYPES}
    summary |= {
        "valid_evidence_share": sum(s.valid_evidence for s in scores) / statements if statements else 0.0,
        "unsupported_per_note": mean(s.unsupported for s in scores),
        "statements_per_note": mean(s.statements for s in scores),
        "seconds_per_note": mean(s.seconds for s in scores),
        "tokens_per_note": mean(s.tokens for s in scores),
        "encounters": float(len(scores)),
        "escalated_share": mean(1.0 if s.escalated else 0.0 for s in scores),
        "hard_share": mean(1.0 if s.hard else 0.0 for s in scores),
        "onprem_written_share": mean(1.0 if s.writer == "onprem" else 0.0 for s in scores),
        "onprem_parsed": float(sum(1 for s in scores if s.onprem_rouge)),
    }
    parsed = [s.onprem_rouge for s in scores if s.onprem_rouge]
    if parsed:
        summary |= {f"onprem_answer_{name}": mean(r[name] for r in parsed) for name in ROUGE_TYPES}
    return summary | _style_summary(scores) | _fact_summary(scores)


def evaluate(
    data: Path, *, cfg: Settings, model: NoteModel | None = None, template: str = "soap", limit: int | None = None,
    on_progress: ProgressCallback = no_progress, route: Route | None = None,
) -> EvalReport:
    """Score every encounter; with ``route`` the router decides per visit by ``cfg`` (public data: escalations
    unaudited).

    With ``model`` the baseline is scored instead: that model's free-text note, written zero-shot from the
    whole dialogue (no record, no evidence to check).
    """
    rows = read_aci_bench(data, limit)
    division_refs = load_division_references(data)
    scores = []
    for n, row in enumerate(rows):
        on_progress(n, len(rows), f"drafting {row.get('encounter_id', n + 1)}")
        transcript = parse_tagged_text(row["dialogue"])
        routed, note = None, None
        if model is not None:
            text, stats = zero_shot_note(row["dialogue"], model)
        elif route:
            note, routed = draft_routed(transcript, cfg=cfg, route=route, template=template, allow_unaudited=True)
            stats = DraftStats(seconds=routed.local_seconds + routed.onprem_seconds, tokens=0)
        else:
            note, stats = draft_note(transcript, template=template)
        text = render_note(note, "txt") if note else text
        known = {s.id for s in transcript.segments}
        statements = [st for _, _, st in note.statements()] if note else []
        faults = note_faults(note) if note else {}
        scores.append(EncounterScore(
            encounter_id=row.get("encounter_id", str(n + 1)),
            rouge=rouge(text, row["note"]),
            copy_baseline_rouge=rouge(dialogue_copy_baseline(row["dialogue"]), row["note"]),
            medications=term_overlap(text, row["note"]),
            problems=term_overlap(text, row["note"], "problems"),
            divisions=_division_scores(note, division_refs.get(row.get("encounter_id", ""), {})) if note else {},
            statements=len(statements),
            valid_evidence=sum(1 for st in statements if st.evidence and set(st.evidence) <= known),
            unsupported=note.unsupported_count() if note else 0,
            seconds=stats.seconds,
            tokens=stats.tokens,
            writer=routed.writer if routed else "local",
            escalated=bool(routed and routed.escalated),
            route_reasons=routed.reasons if routed else [],
            hard=bool(routed and routed.difficulty and any(c.reason and c.name != "requested"
                                                           for c in routed.difficulty.criteria)),
            route_message=routed.message if routed else None,
            onprem_rouge=rouge(render_note(routed.onprem_note, "txt"), row["note"]) if routed and routed.onprem_note
            else None,
            style_faults=faults,
            style_fault_total=sum(faults.values()),
            empty_sections=empty_sections(note, row["note"]) if note else [],
            facts=fact_counts(note, row["note"]) if note else {},
        ))
    on_progress(len(rows), len(rows), "evaluated")
    name = f"{model.name} (zero-shot)" if model else f"{COMPOSER} (route {route})" if route else COMPOSER
    return EvalReport(data=str(data), model=name, template=template, encounters=scores, summary=_summary(scores))


_FAULT_NAMES = {"first_person": "first person", "second_person": "second person",
                "greeting_or_filler": "greeting/filler",
                "question": "question", "loop": "loop", "fragment": "fragment", "mixed_pronouns": "he/she mixed",
                "repeated_sentence": "repeated sentence"}


def _style_table(s: dict[str, float]) -> str:
    if "style_audited" not in s:
        return ""
    return (
        "\nNote style (per note; a signed note has none):\n\n"
        f"| faults/note | notes without faults | {' | '.join(_FAULT_NAMES[c] for c in NOTE_FAULTS)} | "
        "empty sections/note |\n"
        f"|{'---|' * (len(NOTE_FAULTS) + 3)}\n"
        f"| {s['style_faults_per_note']:.2f} | {int(s['notes_without_style_faults'])}/{int(s['style_audited'])} | "
        + "".join(f"{s[f'style_{c}_per_note']:.2f} | " for c in NOTE_FAULTS)
        + f"{s['empty_sections_per_note']:.2f} |\n"
    )


def _fact_table(s: dict[str, float]) -> str:
    kinds = [k for k in FACT_KINDS if f"fact_{k}_in_reference" in s]
    if not kinds:
        return ""

    def share(key: str) -> str:
        return f"{s[key]:.2f}" if key in s else "—"

    rows = "".join(f"| {k.replace('_', ' ')} | {share(f'fact_{k}_recall')} | {share(f'fact_{k}_precision')} | "
                   f"{int(s[f'fact_{k}_in_reference'])} | {int(s[f'fact_{k}_in_draft'])} |\n" for k in kinds)
    objective = (f"\nVitals recalled that the draft states in its Objective: {s['vitals_in_objective_share']:.0%}.\n"
                 if "vitals_in_objective_share" in s else "")
    return ("\n| facts against the reference | recall | precision | in reference | in draft |\n|---|---|---|---|---|\n"
            + rows + objective)


def markdown_summary(report: EvalReport) -> str:
    s = report.summary
    table = (
        f"| data | model | ROUGE-1 | ROUGE-2 | ROUGE-L | ROUGE-Lsum | med. recall | med. precision | "
        f"problem recall | problem precision | valid evidence | unsupported/note | s/note |\n"
        f"|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        f"| {Path(report.data).name} ({int(s['encounters'])}) | {report.model} | "
        f"{s['rouge1']:.1f} | {s['rouge2']:.1f} | "
        f"{s['rougeL']:.1f} | {s['rougeLsum']:.1f} | {s['medication_recall']:.2f} | {s['medication_precision']:.2f} | "
        f"{s['problem_recall']:.2f} | {s['problem_precision']:.2f} | "
        f"{s['valid_evidence_share']:.2f} | {s['unsupported_per_note']:.2f} | {s['seconds_per_note']:.1f} |\n"
        f"| (copy baseline: doctor's turns) | — | {s['copy_rouge1']:.1f} | {s['copy_rouge2']:.1f} | "
        f"{s['copy_rougeL']:.1f} | {s['copy_rougeLsum']:.1f} | | | | | | | |\n"
    )
    divisions = [d for d in DIVISIONS if f"{d}_n" in s]
    if divisions:
        table += "\n| division | n | ROUGE-1 | ROUGE-2 | ROUGE-L |\n|---|---|---|---|---|\n" + "".join(
            f"| {d.replace('_', ' ')} | {int(s[f'{d}_n'])} | {s[f'{d}_rouge1']:.1f} | {s[f'{d}_rouge2']:.1f} | "
            f"{s[f'{d}_rougeL']:.1f} |\n" for d in divisions)
    table += _style_table(s) + _fact_table(s)
    if " (route " in report.model:
        table += (f"\nRouter: {s['hard_share']:.0%} of visits scored hard, {s['escalated_share']:.0%} sent on-prem, "
                  f"{s['onprem_written_share']:.0%} written by the on-prem model.\n")
    return table
