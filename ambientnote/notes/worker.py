"""Drafting in a child process that keeps the note model loaded.

Why a process: in the desktop app, llama.cpp generating on a worker thread while
Qt's event loop runs on the main thread intermittently aborted the interpreter
("deallocating None", PySide6 6.12 + llama-cpp-python on Python 3.11). A child
process keeps the two apart, and it makes cancel immediate: the child is ended
and a fresh one starts on the next draft. Only the transcript goes in and the
note comes out, through a pipe between the two processes (never a file).

A draft with a route other than "local" goes through the router in the child
(the child is the process that may talk to the on-prem server, under the same
egress guard); the escalation comes back to the parent, which audits it in its
store session, linked to the encounter once the note is saved.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from ambientnote import errors
from ambientnote.notes.schema import Note, Section
from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.transcript import Transcript


class DraftCancelled(Exception):
    """The caller cancelled; the child process was ended."""


def _serve(conn: Connection, model_name: str | None) -> None:
    """Child: load the model once, then draft each request, streaming progress and sections back."""
    import ambientnote.offline  # noqa: F401
    from ambientnote.notes.draft import draft_note
    from ambientnote.router.egress import install_for_site

    install_for_site()

    try:
        os.nice(5)  # drafting yields to the window the clinician is looking at, without starving
    except (AttributeError, OSError):
        pass
    from ambientnote.notes.llm import load_note_model

    model = None
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        transcript_json, template, route = request
        try:
            model = model or load_note_model(model_name)
            transcript = Transcript.model_validate_json(transcript_json)
            progress = lambda d, t, label: conn.send(("progress", d, t, label))  # noqa: E731
            section = lambda s: conn.send(("section", s.model_dump_json()))  # noqa: E731
            if route in (None, "local"):
                note, stats = draft_note(transcript, template=template, model=model, on_progress=progress,
                                         on_section=section)
                conn.send(("done", note.model_dump_json(), stats.seconds, None))
                continue
            from ambientnote.config import _cached_settings
            from ambientnote.router.route import draft_routed

            _cached_settings.cache_clear()  # the clinician may have changed settings since the last draft
            note, decision = draft_routed(
                transcript, route=route, template=template, model=model, on_progress=progress, on_section=section,
                defer_audit=True, on_escalating=lambda d: conn.send(("escalating", d.model_dump_json())),
            )
            conn.send(("done", note.model_dump_json(), decision.local_seconds + decision.onprem_seconds,
                       decision.model_dump_json()))
        except errors.AmbientNoteError as exc:
            conn.send(("error", type(exc).__name__, str(exc)))
        except Exception as exc:  # noqa: BLE001  (the parent turns it into one sentence)
            conn.send(("error", "AmbientNoteError", f"Drafting failed unexpectedly ({type(exc).__name__})."))


class DraftWorker:
    """``draft()`` runs ``draft_note`` (or the router) in the child; the model stays loaded between drafts.

    After a routed draft, ``decision`` holds the router's decision as JSON (from the moment the child says it is
    asking the on-prem server, so also when the draft is then cancelled or fails), else None.
    """

    def __init__(self, model_name: str | None = None) -> None:
        self.model_name = model_name
        self.decision: str | None = None
        self._process: mp.process.BaseProcess | None = None
        self._conn: Connection | None = None

    def _ensure(self) -> Connection:
        if self._process is None or not self._process.is_alive():
            ctx = mp.get_context("spawn")
            parent, child = ctx.Pipe()
            self._process = ctx.Process(target=_serve, args=(child, self.model_name), name="ambientnote-draft",
                                        daemon=True)
            self._process.start()
            child.close()
            self._conn = parent
        assert self._conn is not None
        return self._conn

    def draft(
        self,
        transcript: Transcript,
        *,
        template: str | None = None,
        on_progress: ProgressCallback = no_progress,
        on_section: Callable[[Section], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        route: str | None = None,
    ) -> Note:
        conn = self._ensure()
        self.decision = None
        conn.send((transcript.model_dump_json(), template, route))
        while True:
            if cancelled():
                self.close(force=True)
                raise DraftCancelled
            if not conn.poll(0.1):
                if self._process is not None and not self._process.is_alive():
                    self.close(force=True)
                    raise errors.ModelError("The drafting process stopped unexpectedly; nothing was lost, try again.")
                continue
            message = conn.recv()
            kind, payload = message[0], message[1:]
            if kind == "progress":
                on_progress(*payload)
            elif kind == "section" and on_section:
                on_section(Section.model_validate_json(payload[0]))
            elif kind == "escalating":
                self.decision = payload[0]
            elif kind == "done":
                if payload[2] is not None:
                    self.decision = payload[2]
                return Note.model_validate_json(payload[0])
            elif kind == "error":
                raise _error(*payload)

    def close(self, force: bool = False) -> None:
        if self._process is None:
            return
        if force:
            self._process.kill()
        elif self._conn is not None:
            try:
                self._conn.send(None)
            except OSError:
                pass
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
        self._process, self._conn = None, None


def _error(name: str, sentence: str) -> errors.AmbientNoteError:
    cls: Any = getattr(errors, name, errors.AmbientNoteError)
    return cls(sentence) if isinstance(cls, type) and issubclass(cls, errors.AmbientNoteError) else errors.AmbientNoteError(sentence)
