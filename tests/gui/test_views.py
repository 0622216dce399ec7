"""Compliance, admin and settings views; errors as one sentence; accessible names. No models needed."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from ambientnote.config import load_settings
from ambientnote.gui.widgets import unnamed_controls
from ambientnote.store.accounts import add_account, init_store

pytestmark = pytest.mark.timeout(120)
ADMIN_PW, COMP_PW = "admin-pass-1", "compliance-pass-3"


@pytest.fixture
def store(home):
    session, _ = init_store("admin", ADMIN_PW, cfg=load_settings())
    add_account(session, "carol", ["compliance"], COMP_PW)
    session.close()
    return home


def test_wrong_password_is_one_sentence(qtbot, make_window, store):
    window = make_window()
    assert window.login.pages.currentWidget() is window.login.unlock_page
    window.login.name.setText("admin")
    window.login.password.setText("wrong-password")
    window.login.unlock_button.click()
    qtbot.waitUntil(window.message.isVisible, timeout=20_000)
    assert window.message.text() == "Wrong user name or password."
    assert window.ctx.session is None


def test_compliance_filters_verify_export(qtbot, make_window, store, unlock, tmp_path, monkeypatch):
    window = make_window()
    unlock(window, "carol", COMP_PW)
    assert window.stack.currentWidget() is window.compliance
    assert not window.nav_new.isVisible() and window.nav_compliance.isVisible()
    qtbot.waitUntil(lambda: window.compliance.table.rowCount() > 0, timeout=20_000)
    window.compliance.user.setText("admin")
    window.compliance.apply_button.click()
    qtbot.waitUntil(lambda: window.compliance.events and all(e.account == "admin" for e in window.compliance.events),
                    timeout=20_000)
    window.compliance.verify_button.click()
    qtbot.waitUntil(lambda: window.compliance.result.text().startswith("The audit log verifies"), timeout=20_000)
    out = tmp_path / "audit.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.compliance.export_button.click()
    qtbot.waitUntil(out.exists, timeout=20_000)
    assert "admin" in out.read_text()
    assert unnamed_controls(window) == []


def test_admin_accounts_and_retention(qtbot, make_window, store, unlock):
    window = make_window()
    unlock(window, "admin", ADMIN_PW)
    window.nav_admin.trigger()
    admin = window.admin
    qtbot.waitUntil(lambda: admin.table.rowCount() == 2, timeout=20_000)
    admin.new_name.setText("dr_new")
    admin.new_password.setText("new-clinician-pw")
    admin.add_button.click()
    qtbot.waitUntil(lambda: admin.table.rowCount() == 3, timeout=20_000)
    row = next(r for r in range(3) if admin.table.item(r, 0).text() == "dr_new")
    admin.table.selectRow(row)
    admin.role_boxes["clinician"].setChecked(True)
    admin.role_boxes["compliance"].setChecked(True)
    admin.roles_button.click()
    qtbot.waitUntil(lambda: any(admin.table.item(r, 0).text() == "dr_new" and "compliance" in admin.table.item(r, 1).text()
                                for r in range(admin.table.rowCount())), timeout=20_000)
    admin.role_boxes["compliance"].setChecked(False)
    admin.days.setValue(30)
    admin.save_retention.click()
    qtbot.waitUntil(lambda: admin.retention_result.text() == "Policy saved.", timeout=20_000)
    admin.new_name.setText("bad name!")
    admin.new_password.setText("whatever-pw")
    admin.add_button.click()
    qtbot.waitUntil(window.message.isVisible, timeout=20_000)
    assert window.message.text().startswith("An account name may hold only")


def test_settings_show_policy_locks(qtbot, make_window, store, unlock, home, monkeypatch):
    (home / "no-site-policy.toml").write_text('onprem_url = "https://llm.hospital.example/v1"\n')
    window = make_window()
    unlock(window, "admin", ADMIN_PW)
    window.nav_settings.trigger()
    view = window.settings_view
    assert not view.fields["onprem_url"].isEnabled()
    assert view.labels["onprem_url"].text().startswith("\N{LOCK}")
    assert view.fields["note_model"].isEnabled()
    assert view.groups["engineering"].isVisible()  # an admin sees and edits the models and thresholds
    view.fields["asr_model"].setText("base")
    view.save_button.click()
    qtbot.waitUntil(lambda: view.note.text().startswith("Settings saved"), timeout=20_000)
    assert load_settings().asr_model == "base"


def test_safety_settings_are_the_admins_and_locked_for_a_clinician(qtbot, make_window, store, unlock, home):
    """An admin turns routing on in Settings; it lands in the store (audited), not in a settings file, and a
    clinician then sees it locked, with the reason, and cannot change it even by forcing the box."""
    from ambientnote.config import user_settings_path
    from ambientnote.store.safety import stored_safety_settings
    from ambientnote.store.session import login

    with login("admin", ADMIN_PW, cfg=load_settings()) as admin:
        add_account(admin, "dr_a", ["clinician"], "clinician-pass-1")
    window = make_window()
    unlock(window, "admin", ADMIN_PW)
    window.nav_settings.trigger()
    view = window.settings_view
    assert view.fields["routing_allowed"].isEnabled() and not view.labels["routing_allowed"].text().startswith("\N{LOCK}")
    view.fields["routing_allowed"].setChecked(True)
    view.fields["onprem_url"].setText("https://10.0.0.9:8000/v1")
    view.save_button.click()
    qtbot.waitUntil(lambda: view.note.text().startswith("Settings saved"), timeout=20_000)
    with login("admin", ADMIN_PW, cfg=load_settings()) as admin:
        assert stored_safety_settings(admin.store) == {"routing_allowed": True, "onprem_url": "https://10.0.0.9:8000/v1"}
        changes = admin.store.conn.execute("SELECT entity_id FROM audit_event WHERE entity_type = 'policy' "
                                           "ORDER BY seq").fetchall()
    assert sorted(row[0] for row in changes) == ["onprem_url", "routing_allowed"]
    assert not user_settings_path().exists() or "routing" not in user_settings_path().read_text()

    window.nav_lock.trigger()
    unlock(window, "dr_a", "clinician-pass-1")
    window.nav_settings.trigger()
    box = view.fields["routing_allowed"]
    assert box.isChecked() and not box.isEnabled()
    assert view.labels["routing_allowed"].text() == "\N{LOCK} On-prem routing allowed"
    assert box.toolTip() == "A safety setting: only an administrator changes it."
    assert "only an administrator changes it" in view.note.text()
    assert view.fields["onprem_url"].text() == "https://10.0.0.9:8000/v1" and not view.fields["onprem_url"].isEnabled()
    assert view.fields["note_template"].isEnabled() and not view.groups["engineering"].isVisible()
    assert view.help["onprem_deid"].text() == "Replace names, dates, places and numbers before a draft is sent."

    box.setEnabled(True)  # forced, as a clinician with a widget inspector might
    box.setChecked(False)
    view.save_button.click()
    qtbot.waitUntil(lambda: view.note.text().startswith("Settings saved"), timeout=20_000)
    with login("admin", ADMIN_PW, cfg=load_settings()) as admin:
        assert stored_safety_settings(admin.store)["routing_allowed"] is True
    assert view.fields["routing_allowed"].isChecked() and not view.fields["routing_allowed"].isEnabled()


def test_an_admin_gives_a_locked_out_clinician_a_new_password(qtbot, make_window, store, unlock):
    """Five wrong passwords lock dr_x out; the admin selects them, types a new password, and they are back in."""
    from ambientnote.errors import StoreLocked
    from ambientnote.store.session import login

    with login("admin", ADMIN_PW, cfg=load_settings()) as admin:
        add_account(admin, "dr_x", ["clinician"], "clinician-pass-9")
    for _ in range(5):
        with pytest.raises(StoreLocked):
            login("dr_x", "not-the-password", cfg=load_settings())
    with pytest.raises(StoreLocked, match="locked after 5 failed logins"):
        login("dr_x", "clinician-pass-9", cfg=load_settings())

    window = make_window()
    unlock(window, "admin", ADMIN_PW)
    window.nav_admin.trigger()
    view = window.admin
    qtbot.waitUntil(lambda: view.table.rowCount() == 3, timeout=20_000)
    row = next(r for r in range(3) if view.table.item(r, 0).text() == "dr_x")
    assert view.table.item(row, 2).text() == "locked"
    view.table.selectRow(row)
    view.reset_password.setText("fresh-start-pass-7")
    view.reset_button.click()
    qtbot.waitUntil(lambda: view.account_result.text() != "", timeout=20_000)
    assert view.account_result.text() == "dr_x has a new password and is unlocked; give it to them in person."
    assert view.reset_password.text() == ""
    qtbot.waitUntil(lambda: view.table.item(row, 2).text() == "active", timeout=20_000)
    login("dr_x", "fresh-start-pass-7", cfg=load_settings()).close()
    with pytest.raises(StoreLocked):
        login("dr_x", "clinician-pass-9", cfg=load_settings())


def test_compliance_reads_each_events_detail_and_outcome_in_words(qtbot, make_window, store, unlock):
    from ambientnote.errors import StoreLocked
    from ambientnote.store.session import login

    with pytest.raises(StoreLocked):
        login("admin", "not-the-password", cfg=load_settings())  # a failed login, audited at the next login
    window = make_window()
    unlock(window, "carol", COMP_PW)
    view = window.compliance
    qtbot.waitUntil(lambda: view.table.rowCount() > 0, timeout=20_000)
    rows = [[view.table.item(r, c).text() for c in range(view.table.columnCount())]
            for r in range(view.table.rowCount())]
    failed = next(r for r in rows if r[2] == "admin" and r[3] == "login" and r[4] != "ok")
    assert failed[4] == "refused or failed" and failed[6].startswith("reason: wrong password"), failed
    roles = next(r for r in rows if r[3] == "account create")
    assert not any(r[6].startswith("{") for r in rows), roles  # no raw JSON in the table
    cell = view.table.item(rows.index(failed), 6)
    assert cell.toolTip().startswith("{") and "wrong password" in cell.toolTip()  # the exact record, on hover
