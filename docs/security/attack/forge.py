"""Insider dr_b plants an encounter in dr_a's list, sealed to dr_a's public key, with words dr_a never said (E13).

Run on a copy of the store: ``AMBIENTNOTE_HOME=$PWD/home6``.
"""

from __future__ import annotations

from common import PASSWORDS

from ambientnote.config import load_settings
from ambientnote.bench.sandbox import synthetic_note, synthetic_transcript
from ambientnote.store.account_keys import AccountKey
from ambientnote.store.encounters import save_draft
from ambientnote.store.session import login

b = login("dr_b", PASSWORDS["dr_b"], cfg=load_settings())
conn = b.store.conn
victim = conn.execute("SELECT id FROM accounts WHERE name = 'dr_a'").fetchone()[0]
key_id, public = conn.execute("SELECT id, public_key FROM account_keys WHERE account_id = ? AND retired_at IS NULL",
                              (victim,)).fetchone()
forged = AccountKey(key_id, bytes(public), b"", b.account_key().break_glass)
b.account_key = lambda: forged  # type: ignore[method-assign]
b.account_id = victim
planted = save_draft(b, patient_label="Forged Person", transcript=synthetic_transcript(),
                     note_json=synthetic_note(), audio_path=None, model="m")
print("planted encounter", planted, "in dr_a's list")
