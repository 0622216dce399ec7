"""Drafting in a child process.

Why a process: it makes cancel immediate (the child is ended and a fresh one
starts on the next draft, whatever step it was in, a request to the on-prem
server included), and it keeps drafting's work and its network access out of
the GUI's interpreter (llama.cpp generating on a worker thread beside Qt's
event loop once aborted it: "deallocating None", PySide6 6.12 +
llama-cpp-python on Python 3.11). Only the transcript goes in and the note
comes out, through a pipe between the two processes (never a file). Local
drafting composes the note without a language model, so the child loads none.

A draft with a route other than "local" goes through the router in the child
(the child is the process that may talk to the on-prem server, under the same
egress guard); the escalation comes back to the parent, which audits it in its
store session, linked to the encounter once the note is saved. The child never
opens the store, so each request carries the settings the parent drafts by (a
session's, with the store's safety settings): an admin's routing choice holds in
the child, and the child reads no settings of its own.

Life cycle: several threads may end the child at once (the drafting thread on
cancel or when the child died, the GUI thread when the window closes, a test's
teardown). Each child is a ``_Child`` that only one caller ends; the worker
swaps its current child under a lock, and a draft works on the ``_Child`` it
started with, never on the worker's attribute, so a child replaced or ended
under it is seen as such (cancelled), never as ``None``.

It is part of the router, not of the notes: the child drafts through ``draft_routed``, and the router
imports the notes, never the other way round.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection

import ambientnote.offline  # noqa: F401  (offline mode before any model library loads)
from ambientnote import errors
from ambientnote.config import Route, Settings
from ambientnote.egress import install, install_for_site
from ambientnote.notes.draft import draft_note
from ambientnote.notes.schema import Note, Section
from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.router.route import draft_routed
from ambientnote.transcript import Transcript

JOIN_S = 5.0  # how long a graceful close waits for the child before ending it
SEND_LOCK_S = 1.0  # a close that cannot take the pipe (a draft is still writing its request) kills instead


class DraftCancelled(Exception):
    """The caller cancelled, or the worker was closed while drafting; the child process was ended."""


def _serve(conn: Connection) -> None:
    """Child: draft each request, streaming progress and sections back."""
    try:
        _serve_requests(conn)
    except (BrokenPipeError, EOFError, ConnectionResetError):
        return  # the parent went away mid-draft: nobody is left to tell


def _serve_requests(conn: Connection) -> None:
    install()  # loopback only until a request says which on-prem endpoint its settings allow

    try:
        os.nice(5)  # drafting yields to the window the clinician is looking at, without starving
    except (AttributeError, OSError):
        pass

    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        transcript_json, template, route, settings_json = request
        cfg = Settings.model_validate_json(settings_json)  # the parent's, as its login layered them, per draft
        install_for_site(cfg)

        def progress(done: float, total: float, label: str) -> None:
            conn.send(("progress", done, total, label))

        def section(drafted: Section) -> None:
            conn.send(("section", drafted.model_dump_json()))

        try:
            transcript = Transcript.model_validate_json(transcript_json)
            if route in (None, Route.local):
                note, stats = draft_note(transcript, template=template or cfg.note_template, on_progress=progress,
                                         on_section=section)
                conn.send(("done", note.model_dump_json(), stats.seconds, None))
                continue
            note, decision = draft_routed(
                transcript, cfg=cfg, route=route, template=template, on_progress=progress, on_section=section,
                defer_audit=True, on_escalating=lambda d: conn.send(("escalating", d.model_dump_json())),
            )
            conn.send(("done", note.model_dump_json(), decision.local_seconds + decision.onprem_seconds,
                       decision.model_dump_json()))
        except (BrokenPipeError, EOFError, ConnectionResetError):
            raise
        except errors.AmbientNoteError as exc:
            conn.send(("error", type(exc).__name__, str(exc)))
        except Exception as exc:  # noqa: BLE001  (the parent turns it into one sentence)
            conn.send(("error", "AmbientNoteError", f"Drafting failed unexpectedly ({type(exc).__name__})."))


class _Child:
    """One drafting process and the parent's end of its pipe; ``end()`` is idempotent and safe from any thread.

    The pipe is not closed explicitly: a draft in progress may still be polling it, and a descriptor closed
    under a poll can be reused by another file. It closes when the last holder (the worker, a draft) drops it.
    """

    def __init__(self, process: mp.process.BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.ended = threading.Event()  # set by end(): whoever ends a child says so before it dies
        self.send_lock = threading.Lock()  # the parent writes to the pipe from more than one thread
        self._end_lock = threading.Lock()

    def send(self, request: object) -> None:
        with self.send_lock:
            self.conn.send(request)

    def alive(self) -> bool:
        return self.process.exitcode is None and self.process.is_alive()

    def end(self, force: bool) -> None:
        """Ask the child to exit (``force``: kill it), wait for it, kill it if it lingers. Returns once it has ended."""
        with self._end_lock:
            self.ended.set()
            if self.process.exitcode is not None:
                return
            if not force and self.send_lock.acquire(timeout=SEND_LOCK_S):
                try:
                    self.conn.send(None)
                except OSError:
                    force = True  # the pipe is already broken: the child is going or gone
                finally:
                    self.send_lock.release()
            else:
                force = True
            if force:
                self.process.kill()
            self.process.join(timeout=JOIN_S)
            if self.process.exitcode is None:
                self.process.kill()
                self.process.join(timeout=JOIN_S)


class DraftWorker:
    """``draft()`` runs ``draft_note`` (or the router) in the child; the child stays up between drafts.

    After a routed draft, ``decision`` holds the router's decision as JSON (from the moment the child says it is
    asking the on-prem server, so also when the draft is then cancelled or fails), else None.

    ``close()`` may be called from any thread, any number of times, also while a draft runs (that draft then
    raises ``DraftCancelled``); it returns once the child it found has ended. Drafts run one at a time.
    """

    def __init__(self) -> None:
        self.decision: str | None = None
        self._lock = threading.Lock()  # held while the current child is looked up, started or ended
        self._drafting = threading.Lock()  # one request at a time on the pipe
        self._child: _Child | None = None

    @property
    def process(self) -> mp.process.BaseProcess | None:
        """The current child process, or None when none is running."""
        child = self._child
        return child.process if child is not None else None

    def start(self) -> None:
        """Start the child now (its imports then happen before the first draft); a no-op when one is running."""
        self._ensure()

    def _ensure(self) -> _Child:
        with self._lock:
            child = self._child
            if child is None or child.ended.is_set() or not child.alive():
                if child is not None:
                    child.end(force=True)  # died on its own: reap it
                ctx = mp.get_context("spawn")
                parent, child_end = ctx.Pipe()
                process = ctx.Process(target=_serve, args=(child_end,), name="ambientnote-draft",
                                      daemon=True)
                process.start()
                child_end.close()
                child = self._child = _Child(process, parent)
            return child

    def _end(self, child: _Child, *, force: bool) -> None:
        """End ``child``; forget it if it is still the current one (a draft never ends a newer child)."""
        with self._lock:
            if self._child is child:
                self._child = None
            child.end(force)

    def close(self, force: bool = False) -> None:
        """End the child (``force``: at once; else it is asked to exit and killed after ``JOIN_S``)."""
        with self._lock:
            child, self._child = self._child, None
            if child is not None:
                child.end(force)

    def draft(
        self,
        transcript: Transcript,
        *,
        cfg: Settings,
        template: str | None = None,
        on_progress: ProgressCallback = no_progress,
        on_section: Callable[[Section], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        route: Route | None = None,
    ) -> Note:
        """Draft in the child by ``cfg`` (the caller's settings: a session's where it has one)."""
        while not self._drafting.acquire(timeout=0.1):
            if cancelled():
                raise DraftCancelled
        try:
            return self._draft(transcript, cfg, template, on_progress, on_section, cancelled, route)
        finally:
            self._drafting.release()

    def _draft(
        self, transcript: Transcript, cfg: Settings, template: str | None, on_progress: ProgressCallback,
        on_section: Callable[[Section], None] | None, cancelled: Callable[[], bool], route: Route | None,
    ) -> Note:
        child = self._ensure()
        self.decision = None
        try:
            child.send((transcript.model_dump_json(), template, route, cfg.model_dump_json()))
        except OSError:
            return self._stopped(child)
        while True:
            if cancelled():
                self._end(child, force=True)
                raise DraftCancelled
            try:
                if not child.conn.poll(0.1):
                    if not child.alive() and not child.conn.poll(0):  # its last words are read before this
                        return self._stopped(child)
                    continue
                message = child.conn.recv()
            except (EOFError, OSError):
                return self._stopped(child)
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

    def _stopped(self, child: _Child) -> Note:
        """The child is gone mid-draft: closed on purpose (cancelled) or died (a sentence)."""
        if child.ended.is_set():
            raise DraftCancelled
        self._end(child, force=True)
        raise errors.ModelError("The drafting process stopped unexpectedly; nothing was lost, try again.")


def _error(name: str, sentence: str) -> errors.AmbientNoteError:
    cls: object = getattr(errors, name, errors.AmbientNoteError)
    if isinstance(cls, type) and issubclass(cls, errors.AmbientNoteError):
        return cls(sentence)
    return errors.AmbientNoteError(sentence)
