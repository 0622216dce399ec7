"""On-prem routing in the desktop app: the Route choice, policy locks, the writer line, audited redrafts.

A real ``python -m llama_cpp.server`` with the bundled SmolLM2 GGUF on 127.0.0.1 stands in for the hospital's
server; the drafting child process (a fresh one, so it reads this test's site policy) asks it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ambientnote.config import load_settings
from ambientnote.evaluation.onprem_stand_in import API_KEY, MODEL_ALIAS, llama_server
from ambientnote.store.accounts import add_account, init_store

pytestmark = pytest.mark.timeout(300)
ADMIN_PW, CLIN_PW = "admin-pass-1", "clinician-pass-2"


@pytest.fixture(scope="module")
def onprem_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from ambientnote.models import resolve_model

    log = tmp_path_factory.mktemp("onprem-gui") / "server.log"
    with llama_server(resolve_model("smollm2-135m", "note", cfg=load_settings()), log) as url:
        yield url


@pytest.fixture
def policy(home: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """``policy(**keys)`` writes the site policy (the window's next login reads it); the drafting child is restarted
    after."""
    from ambientnote.gui import drafting

    path = home / "policy.toml"
    monkeypatch.setenv("AMBIENTNOTE_POLICY", str(path))
    monkeypatch.setenv("AMBIENTNOTE_ONPREM_API_KEY", API_KEY)

    def write(**keys: Any) -> None:
        home.mkdir(parents=True, exist_ok=True)
        lines = [f"{k} = {json.dumps(v)}" for k, v in keys.items()]  # JSON scalars are TOML scalars
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    drafting.draft_worker().close()  # a child started by an earlier test read another policy
    yield write
    drafting.draft_worker().close()


@pytest.fixture
def encounter(home: Path) -> int:
    """A stored visit of dr_b whose note the on-prem model wrote (built through the router's own parser)."""
    from ambientnote.bench.sandbox import synthetic_transcript
    from ambientnote.notes.layout import load_layout
    from ambientnote.router.onprem import parse_answer
    from ambientnote.store.encounters import save_draft
    from ambientnote.store.session import login

    session, _ = init_store("admin", ADMIN_PW, cfg=load_settings())
    add_account(session, "dr_b", ["clinician"], CLIN_PW)
    session.close()
    transcript = synthetic_transcript()
    layout = load_layout("soap")
    body = {s.key: {sub.key: [] for sub in s.subsections} for s in layout.sections}
    body["subjective"]["hpi"] = [{"text": transcript.segments[1].text, "evidence": ["s2"]}]
    note = parse_answer(json.dumps(body), layout, transcript, model=f"onprem:{MODEL_ALIAS}@127.0.0.1").note
    note.warnings = [f"Drafted by the on-prem model {MODEL_ALIAS} (the clinician asked for the on-prem model)."]
    with login("dr_b", CLIN_PW, cfg=load_settings()) as clinician:
        return save_draft(clinician, patient_label="Routed patient", transcript=transcript, note_json=note,
                          audio_path=None, model=note.model)


def _open(window, unlock, encounter: int, qtbot) -> None:  # noqa: ANN001
    unlock(window, "dr_b", CLIN_PW)
    window.open_encounter(encounter)
    qtbot.waitUntil(lambda: window.review.detail is not None, timeout=30_000)


def test_review_shows_the_writer_and_why(qtbot, make_window, unlock, policy, encounter):
    policy(routing_allowed=True, onprem_url="http://127.0.0.1:9")
    window = make_window()
    _open(window, unlock, encounter, qtbot)
    review = window.review
    assert review.writer.text() == f"Written by the on-prem model {MODEL_ALIAS} at 127.0.0.1"
    assert "the clinician asked for the on-prem model" in review.warnings.text()
    assert review.route.isEnabled() and review.current_route() == "auto"  # the default route, free to change


def test_route_is_locked_when_the_policy_forbids_or_fixes_it(qtbot, make_window, unlock, policy, encounter):
    policy(routing_allowed=False, onprem_url="http://10.0.0.9:8000", onprem_deid=True)
    window = make_window()
    _open(window, unlock, encounter, qtbot)
    review = window.review
    assert not review.route.isEnabled() and review.current_route() == "local"
    assert review.route_label.text().startswith("\N{LOCK}")
    assert "does not allow" in review.route.toolTip()
    window.nav_settings.trigger()
    view = window.settings_view
    for key in ("routing_allowed", "onprem_url", "onprem_deid"):
        assert not view.fields[key].isEnabled() and view.labels[key].text().startswith("\N{LOCK}"), key
    assert view.fields["route"].isEnabled()  # the clinician's own choice, within what the policy allows
    assert not view.groups["engineering"].isVisible()  # the thresholds are an administrator's
    view.fields["route"].setCurrentIndex(view.fields["route"].findData("local"))
    view.fields["route_max_problems"].setText("9")  # hidden, so never saved from a clinician's form
    view.save_button.click()
    qtbot.waitUntil(lambda: view.note.text().startswith("Settings saved"), timeout=20_000)
    assert load_settings().route == "local" and load_settings().route_max_problems != 9

    policy(routing_allowed=True, onprem_url="http://10.0.0.9:8000", route="onprem")
    window.lock()
    unlock(window, "dr_b", CLIN_PW)  # each login reads the settings afresh, the site policy with them
    review.refresh_route()
    assert not review.route.isEnabled() and review.current_route() == "onprem"
    assert "fixes the route to onprem" in review.route.toolTip()


@pytest.mark.timeout(3600)  # a last resort only: the wait below fails a hung draft long before
def test_onprem_redraft_is_audited_with_its_encounter(qtbot, make_window, unlock, policy, encounter, onprem_server,
                                                     wait_while_progressing):
    # One outcome whatever the machine's load: 20 ms cannot hold the server reading the prompt and writing an answer
    # however idle the machine, and a busy one only makes the answer later. The model is named, so the first request
    # is the note itself (its bytes are counted before it goes). The other failure, an answer that is not JSON, is
    # tests/router/test_route.py's. 24 tokens keep the server's unread answer short.
    policy(routing_allowed=True, onprem_url=onprem_server, onprem_model=MODEL_ALIAS, onprem_timeout_s=0.02,
           onprem_max_tokens=24)
    window = make_window()
    _open(window, unlock, encounter, qtbot)
    review = window.review
    review.route.setCurrentIndex(review.route.findData("onprem"))
    review.redraft_action.trigger()

    def progress() -> object:
        draft, detail = window.draft, review.detail
        return (draft is None, draft.activity if draft is not None else None,
                detail.latest.version if detail is not None else None, window.message.text())

    wait_while_progressing(lambda: window.draft is None and review.detail is not None
                           and review.detail.latest.version == 2, progress, what="the on-prem redraft")
    assert review.writer.text().startswith("Written on this computer from the visit record")
    qtbot.waitUntil(window.message.isVisible, timeout=20_000)
    assert window.message.text().startswith("Kept the local draft: the on-prem server at 127.0.0.1")
    assert "did not answer within 0.02 s" in window.message.text()
    assert "Kept the local draft" in review.warnings.text()

    from ambientnote.audit.events import AuditEvent
    from ambientnote.audit.export import select_events
    from ambientnote.store.session import login

    with login("admin", ADMIN_PW, cfg=load_settings()) as admin:
        rows, _ = select_events(admin)
    transfers = [e for e in map(AuditEvent.from_row, rows) if e.subtype == "onprem-escalation"]
    assert len(transfers) == 1 and transfers[0].entity_id == str(encounter)
    detail = transfers[0].detail_dict()
    assert detail["destination"] == "127.0.0.1" and detail["model"] == MODEL_ALIAS and detail["bytes_sent"] > 500
    assert "the clinician asked for the on-prem model" in detail["reasons"] and not detail["used"]
