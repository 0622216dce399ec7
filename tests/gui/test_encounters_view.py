"""The encounter list says, in the store's one sentence, that encounters under the clinician's name were withheld
(case E13 of docs/security/attack-rerun.md: an insider seals an encounter to another clinician's public key, as
docs/security/attack/forge.py does), instead of leaving them silently missing. Real SQLCipher store, real widgets."""

from __future__ import annotations

import pytest
from support.store import CLIN_PW, created  # noqa: F401  (a real store: admin, dr_b, carol)

from ambientnote.bench.sandbox import synthetic_note, synthetic_transcript
from ambientnote.config import load_settings
from ambientnote.store.account_keys import AccountKey
from ambientnote.store.accounts import add_account
from ambientnote.store.encounters import save_draft
from ambientnote.store.session import Session, login

pytestmark = pytest.mark.timeout(120)
INSIDER_PW = "insider-pass-7"


def _save(session: Session, label: str) -> int:
    return save_draft(session, patient_label=label, transcript=synthetic_transcript(), note_json=synthetic_note(),
                      audio_path=None, model="m")


def _plant_in_dr_bs_list(admin: Session) -> int:
    """As forge.py: insider dr_a saves an encounter under dr_b's name, sealed to dr_b's public key."""
    add_account(admin, "dr_a", ["clinician"], INSIDER_PW)
    with login("dr_b", CLIN_PW, cfg=load_settings()) as victim:
        victim_id, victim_key = victim.account_id, victim.account_key()
    with login("dr_a", INSIDER_PW, cfg=load_settings()) as insider:
        forged = AccountKey(victim_key.id, victim_key.public, b"", insider.account_key().break_glass)
        insider.account_key, insider.account_id = (lambda: forged), victim_id  # type: ignore[method-assign]
        return _save(insider, "Forged Person")


def test_the_list_says_which_encounters_under_your_name_were_withheld(qtbot, make_window, unlock, created):  # noqa: F811
    with login("dr_b", CLIN_PW, cfg=load_settings()) as own:
        _save(own, "Hayworth, R.")
    planted = _plant_in_dr_bs_list(created[0])
    window = make_window()
    unlock(window, "dr_b", CLIN_PW)
    view = window.encounters
    qtbot.waitUntil(lambda: view.visible_labels() == ["Hayworth, R."] and view.withheld.isVisible(), timeout=20_000)
    assert view.withheld.text() == (
        f"Encounter(s) {planted} are under your name but their key was not made by your account (someone holding the "
        "data key planted or moved them), so they are not shown; tell an administrator, who finds them with "
        "'ambientnote db check'.")


def test_no_sentence_when_nothing_was_withheld(qtbot, make_window, unlock, created):  # noqa: F811
    with login("dr_b", CLIN_PW, cfg=load_settings()) as own:
        _save(own, "Hayworth, R.")
    window = make_window()
    unlock(window, "dr_b", CLIN_PW)
    view = window.encounters
    qtbot.waitUntil(lambda: view.visible_labels() == ["Hayworth, R."], timeout=20_000)
    assert not view.withheld.isVisible() and view.withheld.text() == ""
