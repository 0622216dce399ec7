"""Insider dr_b erases their own audit events, re-hashes the chain and reseals the anchor (H1b of issue 14).

Run on a copy of the store: ``AMBIENTNOTE_HOME=$PWD/home5``, then ``audit verify``.
"""

from __future__ import annotations

from common import PASSWORDS

from ambientnote.config import load_settings
from ambientnote.audit.anchor import write_anchor
from ambientnote.audit.events import ALL_FIELDS, CHAINED_FIELDS, GENESIS_HASH, event_hash
from ambientnote.store.session import login

s = login("dr_b", PASSWORDS["dr_b"], cfg=load_settings())
conn = s.store.conn
for (trigger,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit%'"
                               ).fetchall():
    conn.execute(f"DROP TRIGGER {trigger}")
kept = [dict(zip(ALL_FIELDS, row, strict=True)) for row in conn.execute(
    f"SELECT {', '.join(ALL_FIELDS)} FROM audit_event WHERE account != 'dr_b' ORDER BY seq").fetchall()]
conn.execute("DELETE FROM audit_event")
head = GENESIS_HASH
for seq, event in enumerate(kept, 1):
    event |= {"seq": seq, "prev_hash": head}
    event["hash"] = head = event_hash([event[f] for f in CHAINED_FIELDS])
    conn.execute(f"INSERT INTO audit_event({', '.join(ALL_FIELDS)}) VALUES ({', '.join('?' * len(ALL_FIELDS))})",
                 [event[f] for f in ALL_FIELDS])
conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_last_seq'", (str(len(kept)),))  # the high-water mark
conn.commit()
write_anchor(s.store, len(kept), head)
print("rewrote the log to", len(kept), "events without dr_b's")
