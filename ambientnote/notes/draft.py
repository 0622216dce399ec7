"""Drafting service: transcript in, evidence-linked note out (the CLI and the GUI both call this).

The pipeline: split the visit into phases (history, exam, results, plan), turn
each phase's turns into faithful third-person statements by rule, ask the local
model the questions it answers well (the chief complaint), let the fine-tuned
note writer rephrase each kept statement (kept only if the guard passes it),
place statements in the layout's subsections, then run the guard over every statement.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ambientnote.errors import NoSpeechError
from ambientnote.notes.guard import context_segments, guard_note
from ambientnote.notes.layout import load_layout
from ambientnote.notes.llm import NoteModel, load_note_model
from ambientnote.notes.phases import segments_by_phase
from ambientnote.notes.rephrase import rephrase
from ambientnote.notes.rewrite import rewrite
from ambientnote.notes.salience import salient
from ambientnote.notes.schema import Note, Section, Statement, Subsection
from ambientnote.notes.select import named_problems, select
from ambientnote.notes.tasks import chief_complaint
from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.transcript import Transcript


@dataclass
class DraftStats:
    seconds: float
    tokens: int


def draft_note(
    transcript: Transcript,
    *,
    template: str | None = None,
    model: NoteModel | None = None,
    on_progress: ProgressCallback = no_progress,
    on_section: Callable[[Section], None] | None = None,
) -> tuple[Note, DraftStats]:
    """Draft a note; ``on_section`` receives each section as soon as it is ready."""
    from ambientnote.config import settings

    layout = load_layout(template or settings().note_template)
    groups = segments_by_phase(transcript)
    if not any(groups.values()):
        raise NoSpeechError("The transcript holds no conversation to draft a note from.")
    model = model or load_note_model(on_progress=on_progress)
    started = time.perf_counter()
    candidates = {phase: salient(rephrase(segments), phase, transcript) for phase, segments in groups.items()}
    specs = [spec for section in layout.sections for spec in section.subsections]
    tokens_before = model.generated_tokens  # chief complaint and note-writer answers alike
    warnings, done = [], 0
    sections: list[Section] = []
    for section_spec in layout.sections:
        subsections = []
        for spec in section_spec.subsections:
            on_progress(done, len(specs), f"drafting {spec.title.lower()}")
            if spec.select == "chief_complaint":
                statement, by_model = chief_complaint(model, groups[spec.phase])
                statements = [statement] if statement else []
                if not by_model and groups[spec.phase]:
                    warnings.append("The chief complaint was taken from the conversation's words, not the model.")
            else:
                chosen = select(candidates[spec.phase], spec.select)[: spec.max_statements]
                if not chosen and spec.select == "assessment":
                    chosen = named_problems(groups["plan"] + groups["results"] + groups["exam"] + groups["history"])
                statements = [Statement(text=rewrite(model, spec.phase, c, context_segments(transcript, c.evidence))
                                        or c.text, evidence=c.evidence) for c in chosen]
            subsections.append(Subsection(key=spec.key, title=spec.title, statements=statements))
            done += 1
        section = Section(key=section_spec.key, title=section_spec.title, subsections=subsections)
        sections.append(section)
        if on_section:
            on_section(section)
    on_progress(len(specs), len(specs), "draft ready")
    note = Note(template=layout.name, model=model.name, sections=sections, warnings=warnings)
    guard_note(note, transcript)
    return note, DraftStats(seconds=time.perf_counter() - started, tokens=model.generated_tokens - tokens_before)
