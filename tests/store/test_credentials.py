"""Account names that cannot pass for one another, passwords that are not guessed early, no secret in the log."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from support.store import ADMIN_PW, COMP_PW

from ambientnote.audit.export import export_audit
from ambientnote.cli import main
from ambientnote.config import load_settings
from ambientnote.errors import InputError, StoreLocked
from ambientnote.store import accounts
from ambientnote.store.session import login

LATIN_ALICE, CYRILLIC_A = "alice", "\N{CYRILLIC SMALL LETTER A}"


def test_a_name_mixing_alphabets_is_refused(admin):
    accounts.add_account(admin, LATIN_ALICE, ["clinician"], "alice-pass-123")
    with pytest.raises(InputError, match="mixes letters of different alphabets") as err:
        accounts.add_account(admin, CYRILLIC_A + "lice", ["clinician"], "mallory-pass-123")
    assert "\n" not in str(err.value)
    assert [a.name for a in accounts.list_accounts(admin)].count("alice") == 1
    with pytest.raises(InputError, match="only in case"):
        accounts.add_account(admin, "Alice", ["clinician"], "mallory-pass-123")


def test_one_alphabet_other_than_latin_is_a_name(admin):
    accounts.add_account(admin, "иван", ["clinician"], "ivan-pass-1234")  # Cyrillic throughout
    accounts.add_account(admin, "山田はなこ", ["clinician"], "hanako-pass-1234")  # kanji with kana
    login("иван", "ivan-pass-1234", cfg=load_settings()).close()


def test_full_width_and_decomposed_names_find_their_account(admin):
    accounts.add_account(admin, "\uff41\uff4c\uff49\uff43\uff45", ["clinician"], "alice-pass-123")  # ａｌｉｃｅ
    assert "alice" in [a.name for a in accounts.list_accounts(admin)]
    login("alice", "alice-pass-123", cfg=load_settings()).close()
    accounts.add_account(admin, "m\u00fcller", ["clinician"], "mueller-pass-123")  # composed ü
    with login("mu\u0308ller", "mueller-pass-123", cfg=load_settings()) as s:  # decomposed, as macOS input sends it
        assert s.account == "m\u00fcller"


@pytest.mark.parametrize("password, why", [
    ("aaaaaaaa", "repeats"), ("password123", "common password"), ("qwertyuiop", "common password"),
    ("short", "too short"),
])
def test_common_repetitive_and_short_passwords_are_refused(admin, password, why):
    with pytest.raises(InputError, match=why) as err:
        accounts.add_account(admin, "dr_new", ["clinician"], password)
    assert str(err.value).count(".") <= 1 + str(err.value).count("'")  # one sentence
    with pytest.raises(InputError):
        accounts.change_password(admin, password)
    login("admin", ADMIN_PW, cfg=load_settings()).close()  # nothing changed


def test_a_password_built_on_the_account_name_is_refused(admin):
    with pytest.raises(InputError, match="too easy to guess"):
        accounts.add_account(admin, "dr_zorblax", ["clinician"], "dr_zorblax1")  # strong for any other account
    accounts.add_account(admin, "dr_other", ["clinician"], "dr_zorblax1")


def test_weak_password_at_the_cli_is_one_sentence(home):
    env = {"AMBIENTNOTE_USER": "boss", "AMBIENTNOTE_PASSWORD": "password123"}
    result = CliRunner().invoke(main, ["db", "init"], env=env)
    assert result.exit_code == 2 and result.output.count("\n") == 1 and result.output.startswith("Error: The password")
    assert not (home / "keys.json").exists()


def test_a_password_typed_as_the_user_name_is_kept_nowhere(created, home, tmp_path):
    secret = "Tr0ub4dor&3-horse"
    for _ in range(2):
        with pytest.raises(StoreLocked, match="Wrong user name or password"):
            login(secret, "", cfg=load_settings())
    assert secret not in (home / "keys.json").read_text()
    pending = json.loads((home / "keys.json").read_text())["pending_audit"]
    assert len({p["account"] for p in pending}) == 1  # the same name is recognisable as the same, without its text
    with login("carol", COMP_PW, cfg=load_settings()) as s:
        rows = s.store.conn.execute("SELECT account, entity_id, detail FROM audit_event").fetchall()
        for fmt in ("csv", "jsonl", "fhir"):
            export_audit(s, fmt, tmp_path / f"audit.{fmt}")
    assert not any(secret in " ".join(row) for row in rows)
    assert sum(row[0].startswith("unknown:") for row in rows) == 2
    for fmt in ("csv", "jsonl", "fhir"):
        assert secret not in (tmp_path / f"audit.{fmt}").read_text()
    assert secret not in (home / "keys.json").read_text()
