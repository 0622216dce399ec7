"""Hostile clinician dr_b reads dr_a's encounter 1 with the package's own functions and raw SQL (E5, E6, E9-E12).

Run from the scratch folder of setup.sh with env.sh sourced (rk.txt there). The last step, E12, rewrites the
encounter's author and is committed by the refusal's audit write: run it on a copy if you go on afterwards.
"""

from __future__ import annotations

from pathlib import Path

from common import PASSWORDS, attempt

from ambientnote.config import load_settings
from ambientnote.store import break_glass as bg
from ambientnote.store import content
from ambientnote.store import encounters as enc
from ambientnote.store.session import login

session = login("dr_b", PASSWORDS["dr_b"], cfg=load_settings())
conn = session.store.conn
recovery_key = Path("rk.txt").read_text().strip()


def find(word: str) -> list[tuple[str, str]]:
    """Every (table, column) whose text holds ``word``."""
    tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
    return [(t, c) for t in tables for (_, c, *_) in conn.execute(f"PRAGMA table_info({t})").fetchall()
            if conn.execute(f"SELECT count(*) FROM {t} WHERE instr(CAST({c} AS TEXT), ?) > 0", (word,)).fetchone()[0]]


for column, table in (("patient_label", "encounters WHERE id = 1"), ("body", "transcripts WHERE encounter_id = 1"),
                      ("body", "note_versions WHERE encounter_id = 1")):
    attempt(f"raw {table.split()[0]}", lambda c=column, t=table: conn.execute(f"SELECT {c} FROM {t}").fetchone())
attempt("label, MRN, a transcript word anywhere", lambda: [find(w) for w in ("Quillon", "ZX-99812", "zebrafinch")])
attempt("Plaintext cipher", lambda: enc.read_detail(conn, enc.summary_row(conn, 1), content.Plaintext(1)))
attempt("owner_cipher, own key", lambda: content.owner_cipher(conn, session.store.store_id, session.account_id,
                                                             session.account_key(), 1))
attempt("encounter_cipher", lambda: enc.encounter_cipher(session, 1))
attempt("read_audio", lambda: enc.read_audio(session, 1))
attempt("show_encounter", lambda: enc.show_encounter(session, 1))
attempt("break-glass, no reason", lambda: bg.break_glass(session, 1, recovery_key, "  "))
attempt("break-glass, wrong key", lambda: bg.break_glass(session, 1, recovery_key[:-1] + "X", "audit"))
attempt("break-glass, right key", lambda: bg.break_glass(session, 1, recovery_key, "complaint review").clinician)
attempt("E12: author rewritten, then show", lambda: (
    conn.execute("UPDATE encounters SET author_id = (SELECT id FROM accounts WHERE name = 'dr_b') WHERE id = 1"),
    enc.show_encounter(session, 1)))
