"""Settings: where the audit trail is sent (syslog and FHIR AuditEvent repositories) is an admin's to set, like the
other safety settings: saved to the store (audited), locked for a clinician, and locked for everyone when the
site policy names it. A real HTTPS FHIR server on loopback (tests/support/fhir_receiver.py) receives the events."""

from __future__ import annotations

import pytest
from support.fhir_receiver import FhirReceiver

from ambientnote.config import load_settings, user_settings_path
from ambientnote.store.accounts import add_account, init_store
from ambientnote.store.safety import stored_safety_settings
from ambientnote.store.session import login

pytestmark = pytest.mark.timeout(120)
ADMIN_PW, CLIN_PW = "admin-pass-1", "clinician-pass-2"
LOCK = "\N{LOCK} "


@pytest.fixture
def store(home):
    session, _ = init_store("admin", ADMIN_PW, cfg=load_settings())
    add_account(session, "dr_b", ["clinician"], CLIN_PW)
    session.close()
    return home


@pytest.fixture
def receiver(tmp_path, monkeypatch):
    """The hospital's FHIR server; its CA reaches the app the way a script's would (the environment)."""
    (tmp_path / "fhir").mkdir()
    server = FhirReceiver(tmp_path / "fhir")
    server.start()
    monkeypatch.setenv("AMBIENTNOTE_AUDIT_REPOSITORY_CA", str(server.ca))
    monkeypatch.setenv("AMBIENTNOTE_AUDIT_REPOSITORY_RETRY_S", "0")
    yield server
    server.stop()


def _settings_page(window):  # noqa: ANN001, ANN202
    window.nav_settings.trigger()
    return window.settings_view


def test_an_admin_names_the_fhir_audit_repository_and_a_clinician_sees_it_locked(qtbot, make_window, unlock, store,
                                                                                  receiver):
    window = make_window()
    unlock(window, "admin", ADMIN_PW)
    view = _settings_page(window)
    field = view.fields["audit_repository_fhir"]
    assert field.isEnabled() and view.labels["audit_repository_fhir"].text() == "Audit repository (FHIR)"
    assert view.groups["audit"].isVisible() and view.fields["audit_repository"].isEnabled()
    field.setText("http://fhir.hospital.example/fhir")  # plain http off this computer: refused, nothing saved
    view.save_button.click()
    qtbot.waitUntil(window.message.isVisible, timeout=20_000)
    assert window.message.text() == ("The setting 'audit_repository_fhir' is invalid: it must be an https:// URL "
                                      "(plain http:// only to this computer).")
    field.setText(receiver.base_url)
    view.save_button.click()
    qtbot.waitUntil(lambda: view.note.text().startswith("Settings saved"), timeout=20_000)
    with login("admin", ADMIN_PW, cfg=load_settings()) as admin:
        assert stored_safety_settings(admin.store) == {"audit_repository_fhir": receiver.base_url}
        assert admin.store.conn.execute("SELECT entity_id FROM audit_event WHERE entity_type = 'policy'"
                                        ).fetchall() == [("audit_repository_fhir",)]
    assert not user_settings_path().exists() or "audit" not in user_settings_path().read_text()

    window.nav_lock.trigger()
    unlock(window, "dr_b", CLIN_PW)  # the login's audit event is sent to the server the admin named
    qtbot.waitUntil(lambda: len(receiver.events) > 0, timeout=20_000)
    assert receiver.refused == []
    view = _settings_page(window)
    field = view.fields["audit_repository_fhir"]
    assert field.text() == receiver.base_url and not field.isEnabled()
    assert view.labels["audit_repository_fhir"].text() == LOCK + "Audit repository (FHIR)"
    assert field.toolTip() == "A safety setting: only an administrator changes it."


def test_a_site_policy_that_names_the_repository_locks_it_for_the_admin_too(qtbot, make_window, unlock, store, home,
                                                                             receiver):
    (home / "no-site-policy.toml").write_text(f'audit_repository_fhir = "{receiver.base_url}"\n')
    window = make_window()
    unlock(window, "admin", ADMIN_PW)
    view = _settings_page(window)
    field = view.fields["audit_repository_fhir"]
    assert field.text() == receiver.base_url and not field.isEnabled()
    assert view.labels["audit_repository_fhir"].text() == LOCK + "Audit repository (FHIR)"
    assert view.fields["audit_repository"].isEnabled()  # the syslog repository stays the admin's to set
    assert field.toolTip() == "Locked by the site policy; hospital IT sets this."
