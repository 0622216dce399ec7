"""Safety settings (routing, the on-prem endpoint, de-identification, the audit repository) are an admin's.

No site policy here: the hospital has none, yet a clinician still cannot send drafts off the laptop, point them
at another server or switch off de-identification, neither from the CLI, nor through the settings service the
app's settings view calls, nor by editing their own settings file.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from support.store import ADMIN_PW, CLIN_PW

from ambientnote.cli import main
from ambientnote.config import load_settings, save_user_settings, user_settings_path
from ambientnote.errors import AccessDenied, ConfigError
from ambientnote.store.safety import locked_settings, save_settings
from ambientnote.store.session import login


def _cli(*args: str, user: str, password: str):
    return CliRunner().invoke(main, list(args), env={"AMBIENTNOTE_USER": user, "AMBIENTNOTE_PASSWORD": password})


def test_a_clinician_cannot_switch_routing_on_from_the_cli(created):
    result = _cli("db", "policy", "routing_allowed", "true", user="dr_b", password=CLIN_PW)
    assert result.exit_code == 6
    assert result.output == "Error: routing_allowed is a safety setting that only an administrator changes.\n"
    shown = _cli("db", "policy", user="dr_b", password=CLIN_PW)
    assert shown.exit_code == 0
    assert "routing_allowed = false  (default, locked: only an administrator changes it)" in shown.output
    assert "onprem_deid = true  (default, locked: only an administrator changes it)" in shown.output
    assert load_settings().routing_allowed is False
    refusal = created[0].store.conn.execute(
        "SELECT outcome, account FROM audit_event WHERE subtype = 'policy-change' ORDER BY seq DESC").fetchone()
    assert refusal == ("4", "dr_b")  # the attempt is on record


def test_the_settings_service_shows_them_locked_and_refuses_them_to_a_clinician(clinician, admin):
    locked = locked_settings(clinician)
    assert locked["routing_allowed"] == locked["onprem_deid"] == "A safety setting: only an administrator changes it."
    assert "onprem_url" in locked and "note_template" not in locked
    assert "routing_allowed" not in locked_settings(admin)
    with pytest.raises(AccessDenied, match=r"^onprem_deid is a safety setting that only an administrator changes\.$"):
        save_settings(clinician, {"onprem_deid": False, "asr_model": "tiny.en"})
    assert clinician.settings.onprem_deid is True and clinician.settings.asr_model != "tiny.en"  # nothing saved
    assert load_settings().asr_model != "tiny.en"
    with pytest.raises(ConfigError, match="only an administrator changes"):
        save_user_settings({"routing_allowed": True})
    saved = save_settings(clinician, {"asr_model": "tiny.en"})  # the clinician's own choices still save
    assert saved.asr_model == clinician.settings.asr_model == load_settings().asr_model == "tiny.en"


def test_editing_ones_own_settings_file_changes_nothing(created):
    path = user_settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('routing_allowed = true\nonprem_url = "http://10.0.0.66:8000"\nonprem_deid = false\n')
    with login("dr_b", CLIN_PW, cfg=load_settings()) as session:
        cfg = session.settings
    assert (cfg.routing_allowed, cfg.onprem_url, cfg.onprem_deid) == (False, None, True)


def test_an_admin_sets_them_for_everyone_audited(created):
    for key, value in (("routing_allowed", "true"), ("onprem_url", "http://10.0.0.9:8000"),
                       ("onprem_hosts", "llm.hospital.internal, llm2.hospital.internal")):
        result = _cli("db", "policy", key, value, user="admin", password=ADMIN_PW)
        assert result.exit_code == 0, result.output
    assert load_settings().routing_allowed is False  # a face's settings: the store's are not read without a login
    with login("dr_b", CLIN_PW, cfg=load_settings()) as session:  # the login applies the store's safety settings
        cfg = session.settings
    assert cfg.routing_allowed is True and cfg.onprem_url == "http://10.0.0.9:8000"
    assert cfg.onprem_hosts == ["llm.hospital.internal", "llm2.hospital.internal"]
    shown = _cli("db", "policy", user="dr_b", password=CLIN_PW).output
    assert "onprem_url = http://10.0.0.9:8000  (admin, locked: only an administrator changes it)" in shown
    changes = created[0].store.conn.execute(
        "SELECT entity_id, detail FROM audit_event WHERE subtype = 'policy-change' AND outcome = '0'").fetchall()
    assert [c[0] for c in changes] == ["routing_allowed", "onprem_url", "onprem_hosts"]
    assert _cli("db", "policy", "onprem_url", "none", user="admin", password=ADMIN_PW).exit_code == 0
    with login("dr_b", CLIN_PW, cfg=load_settings()) as session:
        assert session.settings.onprem_url is None


def test_a_bad_value_or_a_key_the_site_policy_fixes_is_one_sentence(created, home, monkeypatch):
    bad = _cli("db", "policy", "routing_allowed", "perhaps", user="admin", password=ADMIN_PW)
    assert bad.exit_code == 4 and bad.output.startswith("Error: The setting 'routing_allowed' is invalid")
    policy = home.parent / "policy.toml"
    policy.write_text("onprem_deid = true\n")
    monkeypatch.setenv("AMBIENTNOTE_POLICY", str(policy))
    fixed = _cli("db", "policy", "onprem_deid", "false", user="admin", password=ADMIN_PW)
    assert fixed.output == "Error: The site policy fixes onprem_deid; ask hospital IT to change it.\n"


def test_an_admin_can_change_a_safety_setting_again(created):
    """The store's current value must not win over the admin's new one (it once did: a setting set once stuck)."""
    for value, expected in (("true", True), ("false", False), ("true", True)):
        assert _cli("db", "policy", "routing_allowed", value, user="admin", password=ADMIN_PW).exit_code == 0
        with login("dr_b", CLIN_PW, cfg=load_settings()) as session:
            assert session.settings.routing_allowed is expected, value


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_draft_without_save_drafts_as_the_admin_set_routing_in_the_store(created):
    """``draft`` without ``--save`` logs in where an admin set routing in the store, so the admin's endpoint is
    asked (and the transfer audited); before, it never read the store and kept every draft local."""
    from ambientnote.paths import assets_dir

    port = _closed_port()
    for key, value in (("routing_allowed", "true"), ("onprem_url", f"http://127.0.0.1:{port}/v1")):
        assert _cli("db", "policy", key, value, user="admin", password=ADMIN_PW).exit_code == 0
    sample = assets_dir() / "samples" / "consult1_hypertension.txt"
    result = _cli("draft", str(sample), "--route", "onprem", "--quiet", user="dr_b", password=CLIN_PW)
    assert result.exit_code == 0, result.output
    assert f"Kept the local draft: the on-prem server at 127.0.0.1:{port} cannot be reached" in result.output
    escalations = created[0].store.conn.execute(
        "SELECT account, detail FROM audit_event WHERE subtype = 'onprem-escalation'").fetchall()
    assert [row[0] for row in escalations] == ["dr_b"] and str(port) in escalations[0][1]

    assert _cli("db", "policy", "routing_allowed", "false", user="admin", password=ADMIN_PW).exit_code == 0
    forbidden = _cli("draft", str(sample), "--route", "onprem", "--quiet", user="dr_b", password=CLIN_PW)
    assert forbidden.exit_code == 0 and "does not allow sending drafts" in forbidden.output


def test_one_stores_safety_settings_stay_with_its_sessions(created, tmp_path):
    """Settings travel with the session, not the process: an admin's routing choice in one store reaches neither
    another store opened in the same process nor the settings a face reads for itself."""
    from ambientnote.store.accounts import init_store
    from ambientnote.store.safety import set_safety_setting

    set_safety_setting(created[0], "routing_allowed", True)
    other, _ = init_store("admin", ADMIN_PW, cfg=load_settings(home=tmp_path / "other"))
    with other, login("dr_b", CLIN_PW, cfg=load_settings()) as clinician:
        assert clinician.settings.routing_allowed is True
        assert other.settings.routing_allowed is False and load_settings().routing_allowed is False
