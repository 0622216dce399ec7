from support.store import home  # noqa: F401  (a sandboxed AMBIENTNOTE_HOME)
