"""Routing service: draft locally, escalate hard visits to the on-prem model when the site allows it.

The local draft is always made first and always kept unless the on-prem answer
passes the same schema and guard checks; whatever happens, the caller gets a
note and one sentence saying which model wrote it and why. Every escalation
(attempted or not answered) is an audit event: destination host, reasons,
bytes sent, outcome; never the transcript. The CLI, the GUI and the eval
harness all call ``draft_routed``. A caller that saves the note afterwards
(``draft --save``, the desktop app) defers the audit with ``defer_audit`` and
calls ``record_escalation`` with the new encounter's id, so the transfer and
the encounter are linked in the log.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from ambientnote import egress
from ambientnote.audit.events import OUTCOME_MINOR_FAILURE, OUTCOME_SUCCESS
from ambientnote.config import Route, Settings
from ambientnote.errors import ModelOutputError, OnPremUnavailable
from ambientnote.notes.draft import draft_note
from ambientnote.notes.layout import load_layout
from ambientnote.notes.schema import Note, Section
from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.router.client import OnPremClient
from ambientnote.router.deid import Deidentifier, deidentify, has_placeholder
from ambientnote.router.difficulty import TOKENS_PER_WORD, Difficulty, score_difficulty
from ambientnote.router.onprem import check_quality, note_messages, note_schema, parse_answer
from ambientnote.router.policy import Endpoint, configured_endpoint, why_not_allowed
from ambientnote.transcript import Transcript

if TYPE_CHECKING:
    from ambientnote.store.session import Session



class RouteDecision(BaseModel):
    """What the router did and why; ``message`` is the sentence shown to the clinician (None: nothing to say)."""

    route: Route
    writer: Literal["local", "onprem"] = "local"
    escalated: bool = Field(False, description="A request was sent (or tried) to the on-prem server.")
    destination: str | None = None
    port: int | None = None
    reasons: list[str] = Field(default_factory=list)
    difficulty: Difficulty | None = None
    bytes_sent: int = 0
    deid: bool = False
    model: str = Field("", description="The model that wrote the returned note.")
    onprem_model: str | None = Field(None, description="The on-prem model asked (None: not reached).")
    onprem_note: Note | None = Field(None, exclude=True, description="Its parsed answer, used or refused.")
    message: str | None = None
    failure: str | None = Field(None, description="Why the on-prem answer was not used (None: used, or not asked).")
    cancelled: bool = Field(False, description="The clinician cancelled while the server was answering.")
    local_seconds: float = 0.0
    onprem_seconds: float = 0.0
    onprem_tokens: int = 0


ANSWER_TOKENS_BASE = 256  # headings and JSON of an almost empty note
ANSWER_TOKENS_PER_TRANSCRIPT_TOKEN = 0.6  # ACI-Bench notes are 0.35 (at most 0.58) of their dialogue's words


def answer_budget(transcript: Transcript, cfg: Settings) -> int:
    """Most tokens the on-prem model may write for this visit: a note is shorter than its conversation.

    ``onprem_max_tokens`` stays the ceiling; a short visit gets less, so a model that rambles or loops stops
    sooner (the server spends its time and the clinician waits for it).
    """
    tokens = transcript.word_count() * TOKENS_PER_WORD
    return max(1, min(cfg.onprem_max_tokens, int(ANSWER_TOKENS_BASE + ANSWER_TOKENS_PER_TRANSCRIPT_TOKEN * tokens)))


def _ask_onprem(transcript: Transcript, endpoint: Endpoint, template: str, cfg: Settings,
                decision: RouteDecision, on_escalating: Callable[[RouteDecision], None] | None) -> Note:
    layout = load_layout(template)
    sent, deid = (deidentify(transcript) if cfg.onprem_deid else (transcript, None))
    schema = note_schema(layout, [s.id for s in transcript.segments])
    messages = note_messages(layout, sent, deid=deid is not None)
    decision.escalated = True  # from here on the attempt is on the record, whatever the server does
    if on_escalating is not None:
        on_escalating(decision)
    egress.install()
    egress.allow(endpoint.host, endpoint.port)
    with OnPremClient(endpoint, timeout_s=cfg.onprem_timeout_s) as client:
        try:
            model = client.model_name()
            decision.onprem_model = model
            content, decision.onprem_tokens = client.chat_json(
                model, messages, schema, max_tokens=answer_budget(transcript, cfg),
                response_format=cfg.onprem_response_format)
        finally:
            decision.bytes_sent = client.bytes_sent
    writer = f"onprem:{model}@{endpoint.host}"
    answer = parse_answer(_restored(content, deid), layout, transcript, model=writer)
    decision.onprem_note = answer.note
    if any(has_placeholder(st.text) for _, _, st in answer.note.statements()):
        raise ModelOutputError("The on-prem model's answer holds placeholders the de-identification never made.")
    check_quality(answer, cfg.route_max_unsupported_share)
    return answer.note


def _restored(content: str, deid: Deidentifier | None) -> str:
    """Placeholders back to values inside the JSON strings (values are re-escaped, never spliced raw)."""
    if deid is None:
        return content
    try:
        raw = json.loads(content)
    except json.JSONDecodeError:
        return content  # parse_answer says it is not JSON

    def walk(value: object) -> object:
        if isinstance(value, str):
            return deid.restore(value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return json.dumps(walk(raw))


def record_escalation(session: Session, decision: RouteDecision, encounter_id: int | None = None) -> None:
    """Audit one escalation: host, port, reasons, bytes sent, de-identified, model, used or why not.

    Nothing is recorded for a decision that sent nothing. Never the transcript or the answer.
    """
    from ambientnote.store import record_transfer  # here: the drafting child imports this module, never the store

    if not decision.escalated or decision.destination is None:
        return
    failure = ("the clinician cancelled while the on-prem server was answering" if decision.cancelled
               else decision.failure)
    record_transfer(
        session,
        destination=decision.destination, encounter_id=encounter_id,
        detail={"port": decision.port, "reasons": decision.reasons, "bytes_sent": decision.bytes_sent,
                "deidentified": decision.deid, "model": decision.onprem_model, "used": decision.writer == "onprem",
                "failure": failure},
        outcome=OUTCOME_SUCCESS if failure is None else OUTCOME_MINOR_FAILURE,
    )


def draft_routed(
    transcript: Transcript, *, cfg: Settings, route: Route | None = None,
    on_progress: ProgressCallback = no_progress,
    session: Session | None = None, encounter_id: int | None = None,
    template: str | None = None, allow_unaudited: bool = False, defer_audit: bool = False,
    on_section: Callable[[Section], None] | None = None,
    on_escalating: Callable[[RouteDecision], None] | None = None,
) -> tuple[Note, RouteDecision]:
    """Draft ``transcript``; escalate when ``route`` (default: ``cfg.route``) and the site policy say so.

    ``cfg``: the settings to go by (a session's, where there is one: they carry the store's safety settings).

    ``session`` (an open store ``Session``) records the escalation in the audit log at once. With
    ``defer_audit`` the caller promises to call ``record_escalation`` itself (with the encounter id once
    the note is saved; ``on_escalating`` hears of the attempt just before the request is sent, so a
    caller that may be cancelled mid-request can still record it). Without either, an escalation
    happens only with ``allow_unaudited`` (the eval harness, on public benchmark data).
    ``on_section`` receives each section of the local draft as it is written.
    """
    route = route or cfg.route
    template = template or cfg.note_template
    started = time.perf_counter()
    local, _ = draft_note(transcript, template=template, on_progress=on_progress, on_section=on_section)
    decision = RouteDecision(route=route, model=local.model, local_seconds=time.perf_counter() - started)
    if route == Route.local:
        return local, decision
    decision.difficulty = score_difficulty(transcript, local, requested=route == Route.onprem, cfg=cfg)
    decision.reasons = decision.difficulty.reasons
    if not decision.difficulty.hard:
        return local, decision
    because = "; ".join(decision.reasons)
    blocked = why_not_allowed(cfg)
    if blocked is None and session is None and not (allow_unaudited or defer_audit):
        blocked = "no signed-in store is open to record the transfer in the audit log"
    if blocked:
        if route == Route.onprem or cfg.routing_allowed:  # a site without routing hears nothing of it on "auto"
            decision.message = f"Kept the local draft ({because}) because {blocked}."
        return local, decision
    endpoint = configured_endpoint(cfg)
    assert endpoint is not None  # why_not_allowed checked it
    decision.destination, decision.port, decision.deid = endpoint.host, endpoint.port, cfg.onprem_deid
    on_progress(0, 1, f"asking the on-prem model at {endpoint.host}")
    asked = time.perf_counter()
    failure: str | None = None
    try:
        note = _ask_onprem(transcript, endpoint, template, cfg, decision, on_escalating)
    except (OnPremUnavailable, ModelOutputError) as exc:
        failure = str(exc)
    decision.failure = failure
    decision.onprem_seconds = time.perf_counter() - asked
    on_progress(1, 1, "on-prem answer checked")
    if failure is None:
        decision.writer, decision.model = "onprem", note.model
        note.warnings.insert(0, f"Drafted by the on-prem model {decision.onprem_model} ({because}).")
        decision.message = f"Drafted by the on-prem model at {endpoint.host} because {because}."
    else:
        decision.message = (f"Kept the local draft: {failure[0].lower()}{failure[1:].rstrip('.')} "
                            f"(asked because {because}).")
        local.warnings.append(decision.message)
        note = local
    if session is not None and not defer_audit:
        record_escalation(session, decision, encounter_id)
    return note, decision
