from support.store import admin, clinician, created, home, transcript  # noqa: F401 (real store fixtures)
