"""The desktop app: PySide6 views on the same services the CLI calls.

Views (``*_view.py``) build widgets and react to signals; every service call
goes through ``runner.Runner`` (a worker thread, results back by signal) or a
long-running operation object (``recording.py``, ``drafting.py``). Nothing
under ``ambientnote/gui`` runs SQL, calls a model or writes audit events
itself; services never import Qt. ``app.run()`` is the entry point.
"""
