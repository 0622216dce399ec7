"""The chain head, anchored outside the table so that cutting off the newest events shows.

A hash chain alone cannot reveal that its last events were deleted: what remains
is still a valid chain. So after every commit the newest (count, hash) is written
to ``audit.anchor`` with an HMAC under a key derived from the data key. The
anchor only ever moves forward, and only when the event it named is still in
the table unchanged; after a truncation it stays put and ``audit verify``
reports the gap. A crash between commit and anchor write leaves the table one
step ahead, which the next commit (or unlock) catches up.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from ambientnote.audit.log import chain_head
from ambientnote.db.connection import Store
from ambientnote.db.keys import derive_subkey
from ambientnote.files import locked_file, write_atomic


@dataclass(frozen=True)
class Anchor:
    count: int
    head: str


def _mac(data_key: bytes, store_id: str, count: int, head: str) -> str:
    key = derive_subkey(data_key, "ambientnote-audit-anchor")
    return hmac.new(key, f"{store_id}:{count}:{head}".encode(), hashlib.sha256).hexdigest()


def anchor_json(data_key: bytes, store_id: str, count: int, head: str) -> str:
    """The anchor file's contents for a head, sealed with a key derived from ``data_key``."""
    return json.dumps({"count": count, "head": head, "mac": _mac(data_key, store_id, count, head)})


def read_anchor(store: Store) -> Anchor | None:
    """The anchored head, or None when the file is missing or its HMAC does not match."""
    try:
        data = json.loads(store.paths.anchor.read_text(encoding="utf-8"))
        count, head, mac = int(data["count"]), str(data["head"]), str(data["mac"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Anchor(count, head) if hmac.compare_digest(mac, _mac(store.data_key, store.store_id, count, head)) else None


def write_anchor(store: Store, count: int, head: str) -> None:
    """Set the anchor outright (store creation, restore, rekey); everything else advances it."""
    write_atomic(store.paths.anchor, anchor_json(store.data_key, store.store_id, count, head).encode())


def advance_anchor(store: Store) -> None:
    """Move the anchor to the table's head if the table still holds the anchored event unchanged."""
    with locked_file(store.paths.home / "anchor.lock"):
        anchor = read_anchor(store)
        if anchor is None:
            return  # missing or forged: leave it for `audit verify` to report
        count, head = chain_head(store.conn)
        if count <= anchor.count:
            return
        if anchor.count:
            row = store.conn.execute("SELECT hash FROM audit_event WHERE seq = ?", (anchor.count,)).fetchone()
            if row is None or row[0] != anchor.head:
                return
        write_anchor(store, count, head)
