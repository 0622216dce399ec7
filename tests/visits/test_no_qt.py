"""The visit services are the CLI's as much as the GUI's: importing any of them loads no Qt."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import ambientnote.visits


def test_visit_services_never_import_qt():
    names = [f"ambientnote.visits.{m.name}" for m in pkgutil.iter_modules(ambientnote.visits.__path__)]
    code = "import sys\n" + "".join(f"import {n}\n" for n in names) + \
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert len(names) >= 5 and out.strip() == "[]"
