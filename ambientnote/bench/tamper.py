"""The tamper test: forge a log, damage one thing at random, and see whether ``verify`` notices.

An attacker here holds the data key (so can open the database with any SQLite
tool), drops the append-only triggers, and makes one change: edits a field
(sometimes recomputing that event's own hash to cover it up), deletes an event
(sometimes the newest), or swaps two events. Each trial runs in a savepoint
that is rolled back, so one log serves a thousand trials.

It lives with the benchmarks (the store bench's tamper figure, and the tests that fill a log fast), not in the
audit package: the app never tampers with its own log.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING

from ambientnote.audit.anchor import write_anchor
from ambientnote.audit.events import ALL_FIELDS, CHAINED_FIELDS, GENESIS_HASH, event_hash
from ambientnote.audit.log import chain_head, insert_rows
from ambientnote.audit.verify import verify_store
from ambientnote.db.connection import Store

if TYPE_CHECKING:
    import sqlcipher3

EDITABLE = [f for f in CHAINED_FIELDS if f not in ("seq", "prev_hash")]
KINDS = ("edit", "edit-rehash", "delete", "delete-newest", "swap")
_SUBTYPES = ("login", "read", "create", "edit", "sign", "note-export", "list")


def synthetic_events(count: int, start: int = 1, prev: str = GENESIS_HASH, seed: int = 7) -> Iterator[tuple]:
    """``count`` correctly chained event rows, like a busy clinic's log (ids only, no PHI)."""
    rng = random.Random(seed)
    for seq in range(start, start + count):
        account = f"dr_{rng.randrange(40)}"
        chained = (seq, f"2026-{1 + seq % 12:02d}-{1 + seq % 28:02d}T08:{seq % 60:02d}:00.{seq % 999999:06d}+00:00",
                   "110110", rng.choice(_SUBTYPES), "R", "0", account, "clinician", "ws-12", "ambientnote/0.1.0@ws-12",
                   "encounter", str(rng.randrange(1, 100_000)), "{}", prev)
        prev = event_hash(chained)
        yield (*chained, prev)


def fill_log(store: Store, count: int, batch: int = 50_000) -> None:
    """Append ``count`` synthetic events to the store's chain and move the anchor to the end."""
    seq, prev = chain_head(store.conn)
    rows = synthetic_events(count, seq + 1, prev)
    with store.transaction() as tx:
        while chunk := list(islice(rows, batch)):
            insert_rows(tx, chunk)
    write_anchor(store, *chain_head(store.conn))


@dataclass
class TamperReport:
    trials: int = 0
    detected: int = 0
    located: int = 0  # the first bad event named is the damaged one (or the next, whose link broke)
    by_kind: dict[str, list[int]] = field(default_factory=dict)

    @property
    def share_detected(self) -> float:
        return self.detected / self.trials if self.trials else 0.0


def _tamper(conn: sqlcipher3.Connection, kind: str, rng: random.Random, n: int) -> int:
    """Apply one change; returns the seq where verification should first fail."""
    if kind.startswith("edit"):
        seq, name = rng.randint(1, n), rng.choice(EDITABLE)
        row = dict(zip(ALL_FIELDS, conn.execute(f"SELECT {', '.join(ALL_FIELDS)} FROM audit_event WHERE seq = ?",
                                                (seq,)).fetchone(), strict=True))
        row[name] = '{"note":"x"}' if name == "detail" else str(row[name]) + "x"
        new_hash = event_hash([row[f] for f in CHAINED_FIELDS]) if kind == "edit-rehash" else row["hash"]
        conn.execute(f"UPDATE audit_event SET {name} = ?, hash = ? WHERE seq = ?", (row[name], new_hash, seq))
        return seq
    if kind.startswith("delete"):
        seq = n if kind == "delete-newest" else rng.randint(1, n)
        conn.execute("DELETE FROM audit_event WHERE seq = ?", (seq,))
        return seq
    a, b = sorted(rng.sample(range(1, n + 1), 2))
    conn.execute("UPDATE audit_event SET seq = -1 WHERE seq = ?", (a,))
    conn.execute("UPDATE audit_event SET seq = ? WHERE seq = ?", (a, b))
    conn.execute("UPDATE audit_event SET seq = ? WHERE seq = -1", (b,))
    return a


def run_tamper_trials(store: Store, trials: int, seed: int = 1) -> TamperReport:
    """Run ``trials`` random single-event tamperings against the store's (anchored) log."""
    rng, conn, report = random.Random(seed), store.conn, TamperReport()
    n = chain_head(conn)[0]
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    for i in range(trials):
        kind = KINDS[i % len(KINDS)]
        conn.execute("SAVEPOINT tamper")
        try:
            expected = _tamper(conn, kind, rng, n)
            result = verify_store(store)
        finally:
            conn.execute("ROLLBACK TO tamper")
            conn.execute("RELEASE tamper")
        hit = not result.ok
        located = hit and result.first_bad in (expected, expected + 1)
        report.trials += 1
        report.detected += hit
        report.located += located
        counts = report.by_kind.setdefault(kind, [0, 0])
        counts[0] += 1
        counts[1] += hit
    return report
