"""The benchmarks' throw-away store environment, plus what only tests need: no wait after a failed login.

Tests try a wrong password and log in right after; the app's back-off (a second, doubling with each failure)
would make them wait. The switch lives here, under tests/, so the product and its frozen bundle do not carry a
test-only environment; the benchmarks never fail a login and keep the real back-off.
"""

from __future__ import annotations

from pathlib import Path

from ambientnote.bench import sandbox as bench

NO_LOGIN_BACKOFF = {"AMBIENTNOTE_LOGIN_BACKOFF_SECONDS": "0"}


def sandbox_env(home: Path) -> dict[str, str]:
    """Environment variables that confine AmbientNote to ``home`` with a cheap KDF and no login back-off."""
    return bench.sandbox_env(home) | NO_LOGIN_BACKOFF
