"""The drafting child's life cycle: closes from several threads at once, closes while a draft waits.

A GUI test once timed out on a busy machine and its teardown raised ``AttributeError: 'NoneType' object has no
attribute 'is_alive'`` in ``DraftWorker.close``: two threads ended the child at once (the drafting thread on
cancel, the test's teardown), and one cleared ``_process`` between the other's check and use. These tests put
the threads in that order on purpose rather than hoping for it. No model is loaded: a child loads its model only
on its first request, and the drafts here are sent to a child that is stopped (SIGSTOP) or ended first.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator

import pytest

from ambientnote.config import load_settings
from ambientnote.router.worker import DraftCancelled, DraftWorker
from ambientnote.transcript import Role, Segment, Transcript

pytestmark = pytest.mark.timeout(120)

TRANSCRIPT = Transcript(segments=[
    Segment(id="s1", role=Role.clinician, text="What brings you in today?"),
    Segment(id="s2", role=Role.patient, text="My left knee has hurt for two weeks."),
])


@pytest.fixture
def worker() -> Iterator[DraftWorker]:
    worker = DraftWorker()
    yield worker
    worker.close(force=True)


def _in_thread(fn: Callable[[], object]) -> tuple[threading.Thread, list[BaseException], list[object]]:
    """Run ``fn`` on a thread; what it raised or returned lands in the lists."""
    raised: list[BaseException] = []
    returned: list[object] = []

    def run() -> None:
        try:
            returned.append(fn())
        except BaseException as exc:  # noqa: BLE001  (the test asserts on it)
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, raised, returned


def _stopped_draft(worker: DraftWorker, **kwargs: object) -> tuple[threading.Thread, list[BaseException],
                                                                   list[object]]:
    """A draft sent to a child frozen with SIGSTOP: it waits, as a draft does while the model works."""
    worker.start()
    process = worker.process
    assert process is not None and process.pid is not None
    os.kill(process.pid, signal.SIGSTOP)
    progress = threading.Event()
    cfg = load_settings()
    drafting = _in_thread(lambda: worker.draft(TRANSCRIPT, cfg=cfg, on_progress=lambda *_: progress.set(), **kwargs))
    drafting[0].join(0.5)  # polling the pipe now
    assert drafting[0].is_alive() and not progress.is_set()
    return drafting


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="SIGSTOP freezes the child")
def test_close_while_drafting_cancels_the_draft_and_ends_the_child(worker):
    drafting, raised, returned = _stopped_draft(worker)
    process = worker.process
    worker.close(force=True)  # the window closing while the note is being drafted
    drafting.join(10)
    assert not drafting.is_alive() and not returned
    assert len(raised) == 1 and isinstance(raised[0], DraftCancelled), raised
    assert process is not None and process.exitcode is not None and worker.process is None


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="SIGSTOP freezes the child")
def test_cancel_and_close_at_once_end_the_child_once(worker):
    cancel = threading.Event()
    drafting, raised, _ = _stopped_draft(worker, cancelled=cancel.is_set)
    process = worker.process
    assert process is not None
    # The drafting thread ends the child on cancel while another thread closes the worker: the old code let one
    # of them find the process gone between its check and its use.
    cancel.set()
    closing, close_raised, _ = _in_thread(worker.close)
    worker.close()
    for thread in (drafting, closing):
        thread.join(15)
        assert not thread.is_alive()
    assert not close_raised, close_raised
    assert len(raised) == 1 and isinstance(raised[0], DraftCancelled), raised
    assert process.exitcode is not None and worker.process is None


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="SIGSTOP freezes the child")
def test_a_child_that_dies_mid_draft_is_one_sentence(worker):
    from ambientnote.errors import ModelError

    drafting, raised, _ = _stopped_draft(worker)
    process = worker.process
    assert process is not None and process.pid is not None
    os.kill(process.pid, signal.SIGKILL)  # not ended by the worker: it died (out of memory, a crash)
    drafting.join(15)
    assert not drafting.is_alive()
    assert len(raised) == 1 and isinstance(raised[0], ModelError) and "stopped unexpectedly" in str(raised[0])
    assert worker.process is None


def test_a_second_close_while_the_first_waits_for_the_child(worker, monkeypatch):
    """The exact order of the reported failure: close B runs from start to end while close A is inside join()."""
    worker.start()
    process = worker.process
    assert process is not None
    real_join = process.join
    second: dict[str, tuple[threading.Thread, list[BaseException], list[object]]] = {}

    def join_letting_another_close_run(timeout: float | None = None) -> None:
        if "close" not in second:  # the first closer, paused here: a second one gets its chance to finish
            second["close"] = _in_thread(lambda: worker.close(force=True))
            second["close"][0].join(2)  # with the lock it waits for us instead (these 2 s then pass)
        real_join(timeout)

    monkeypatch.setattr(process, "join", join_letting_another_close_run)
    worker.close(force=True)
    thread, raised, _ = second["close"]
    thread.join(15)
    assert not thread.is_alive() and not raised, raised
    assert process.exitcode is not None and worker.process is None


def test_closes_from_many_threads_and_a_fresh_child_after(worker):
    worker.start()
    first = worker.process
    assert first is not None and first.is_alive()
    barrier = threading.Barrier(4)
    closers = [_in_thread(lambda: (barrier.wait(10), worker.close())) for _ in range(4)]
    for thread, raised, _ in closers:
        thread.join(20)
        assert not thread.is_alive() and not raised, raised
    assert first.exitcode is not None and worker.process is None
    worker.close()  # nothing left to end: a no-op
    worker.start()
    second = worker.process
    assert second is not None and second.is_alive() and second.pid != first.pid


def _closed_port() -> int:
    """A loopback port nothing listens on: a request there is refused at once."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_drafting_child_drafts_as_the_admin_set_routing_in_the_store(created, worker, monkeypatch):
    """The child never opens the store, yet an admin's store-held routing choice holds there: forbidden, it keeps
    the draft local even where the environment allows routing; allowed, it asks the admin's endpoint, not the
    environment's."""
    from support.store import CLIN_PW

    from ambientnote.router.route import RouteDecision
    from ambientnote.store.safety import set_safety_setting
    from ambientnote.store.session import login

    admin = created[0]
    env_port, admin_port = _closed_port(), _closed_port()
    monkeypatch.setenv("AMBIENTNOTE_ROUTING_ALLOWED", "true")  # what a clinician could set for themselves
    monkeypatch.setenv("AMBIENTNOTE_ONPREM_URL", f"http://127.0.0.1:{env_port}/v1")
    set_safety_setting(admin, "routing_allowed", False)
    with login("dr_b", CLIN_PW, cfg=load_settings()) as session:  # the login layers the store's settings on
        worker.draft(TRANSCRIPT, cfg=session.settings, route="onprem")
    forbidden = RouteDecision.model_validate_json(worker.decision)
    assert not forbidden.escalated and forbidden.destination is None
    assert "does not allow sending drafts" in forbidden.message

    set_safety_setting(admin, "routing_allowed", True)
    set_safety_setting(admin, "onprem_url", f"http://127.0.0.1:{admin_port}/v1")
    with login("dr_b", CLIN_PW, cfg=load_settings()) as session:
        worker.draft(TRANSCRIPT, cfg=session.settings, route="onprem")  # the same child, still running
    allowed = RouteDecision.model_validate_json(worker.decision)
    assert allowed.escalated and (allowed.destination, allowed.port) == ("127.0.0.1", admin_port), allowed.message
    assert allowed.failure  # nothing listens there: the local draft is kept, and says why
