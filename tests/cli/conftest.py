from ambientnote.store.testing import home  # noqa: F401  (a sandboxed AMBIENTNOTE_HOME)
