"""Fixtures: a real SQLCipher store in tmp_path (see ambientnote.store.testing)."""

from ambientnote.store.testing import ADMIN_PW, CLIN_PW, COMP_PW, admin, clinician, compliance, created, home, transcript  # noqa: F401
