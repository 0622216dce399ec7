"""What the audit does after each commit of the store: move the anchor on, forward the new events.

Why hooks: the store's transaction is the one place every change passes, but the store layer must not import
the audit (which imports the store); the audit installs these on every store it is given to watch.
"""

from __future__ import annotations

from ambientnote.audit.anchor import advance_anchor
from ambientnote.audit.forward import forward_after_commit
from ambientnote.db.connection import Store


def watch_commits(store: Store) -> Store:
    """Install the audit's after-commit steps on ``store``; returns it."""
    store.on_commit.extend((advance_anchor, forward_after_commit))
    return store
