"""``python -m ambientnote`` and the entry point of the frozen app (PyInstaller).

``freeze_support()`` comes first: in a frozen build the drafting child process
(``ambientnote/router/worker.py``, multiprocessing "spawn") is started by running
this same executable, and must become the child instead of opening the app. The
guard keeps a spawned child from running the CLI when started via ``-m``.
"""

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from ambientnote.cli import main

    main()
