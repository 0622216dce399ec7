"""Fixtures: a real SQLCipher store in tmp_path (see tests/support/store.py)."""

from support.store import ADMIN_PW, CLIN_PW, COMP_PW, admin, clinician, compliance, created, home, transcript  # noqa: F401
