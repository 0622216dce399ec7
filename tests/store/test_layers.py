"""The store's layers import one way: ``store`` → ``audit`` → ``db``.

The audit log lives in the store's database, so the two once imported each other (closed by an import inside
``Store.transaction`` and lazy re-exports). Now the connection, keys and schema are ``ambientnote.db``, below
both, and the audit reaches ``Store.transaction`` only through the on-commit hooks it installs.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import ambientnote

PACKAGE = Path(ambientnote.__file__).parent


def _run_time_imports(path: Path) -> set[str]:
    """Every ``ambientnote`` module a file imports when it runs (type-only imports under TYPE_CHECKING excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                 and getattr(block.test, "id", "") == "TYPE_CHECKING" for node in ast.walk(block)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("ambientnote")}


def _imports_of(package: str) -> dict[str, set[str]]:
    return {path.name: _run_time_imports(path) for path in sorted((PACKAGE / package).glob("*.py"))}


def test_db_imports_neither_the_audit_nor_the_store():
    for module, imports in _imports_of("db").items():
        assert not {i for i in imports if i.startswith(("ambientnote.audit", "ambientnote.store"))}, module


def test_the_audit_never_imports_the_store():
    for module, imports in _imports_of("audit").items():
        assert not {i for i in imports if i.startswith("ambientnote.store")}, module


def test_the_audit_loads_without_the_store_and_the_store_package_loads_eagerly():
    code = ("import sys, ambientnote.audit.verify, ambientnote.audit.forward, ambientnote.audit.export; "
            "assert not [m for m in sys.modules if m.startswith('ambientnote.store')], 'the audit loaded the store'; "
            "from ambientnote.store import Session, init_store, login, save_draft; print('ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "ok", result.stderr
