"""The packages of ``ambientnote`` import one another one way only: no cycle in the package-level import graph.

Why: a cycle hides which package is the lower one, so neither can be read, tested or moved alone, and an import
inside a function that only works because the other package has already loaded breaks in the next refactor.
The graph is read from the source (the AST of every module), not from what a run happens to import: imports
inside functions count, since they are the ones that hide a dependency. Imports under ``if TYPE_CHECKING:``
do not: they name a type for an annotation and load nothing (the audit, for one, annotates the store's
Session it is handed without importing the store). Nodes are the subpackages and the top-level modules
(``config``, ``errors``, ``datasets`` …).

``python tests/test_import_graph.py`` prints the graph, one ``package -> packages it imports`` line each.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ambientnote"
ROOT = "ambientnote"

Edges = dict[str, dict[str, list[str]]]  # importer -> imported -> ["file:line", …]


def _node(module: str) -> str:
    """The graph node of a dotted module name inside the package: its first component below ``ambientnote``."""
    parts = module.split(".")
    if len(parts) == 1:
        return ROOT
    return parts[1] if (PACKAGE / parts[1]).is_dir() or (PACKAGE / f"{parts[1]}.py").is_file() else ROOT


def _module_name(path: Path) -> tuple[str, bool]:
    """(dotted name, is a package ``__init__``) of a source file under the package."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of the import nodes that sit under ``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and (
            (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
            or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
        ):
            skipped |= {id(inner) for stmt in node.body for inner in ast.walk(stmt)}
    return skipped


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The dotted names inside the package that one import statement loads."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: resolved against the importing module's package
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if target == ROOT:  # ``from ambientnote import config`` loads the module named, not just the package
        return [f"{ROOT}.{alias.name}" for alias in node.names]
    return [target]


def import_graph() -> Edges:
    """Every package-level edge, with the places that make it."""
    edges: Edges = defaultdict(lambda: defaultdict(list))
    for path in sorted(PACKAGE.rglob("*.py")):
        module, is_package = _module_name(path)
        source = _node(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        skipped = _type_checking_only(tree)
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)) or id(node) in skipped:
                continue
            for name in _imported(node, module, is_package):
                if name == ROOT or name.startswith(f"{ROOT}."):
                    target = _node(name)
                    if target != source:
                        edges[source][target].append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return edges


def cycles(edges: Edges) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def _describe(component: list[str], edges: Edges) -> str:
    """Every edge inside one cycle, with the imports that make it."""
    lines = [" <-> ".join(component)]
    for source in component:
        for target in component:
            if target in edges.get(source, {}):
                lines.append(f"  {source} -> {target}: {', '.join(edges[source][target])}")
    return "\n".join(lines)


def render(edges: Edges) -> str:
    """``package -> packages it imports``, one line per package, sorted."""
    return "\n".join(f"{source} -> {', '.join(sorted(edges[source]))}" for source in sorted(edges))


def test_packages_import_each_other_one_way_only() -> None:
    edges = import_graph()
    assert {"notes", "store", "cli"} <= set(edges), "the graph was not read from the package"
    found = cycles(edges)
    assert not found, "package import cycles:\n" + "\n".join(_describe(c, edges) for c in found)


def test_the_graph_sees_imports_inside_functions_and_skips_type_checking_ones(tmp_path) -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from ambientnote.store.session import Session\n"
        "def later():\n    from ambientnote.notes import draft\n"
        "from . import terms\n"
    )
    tree = ast.parse(source)
    skipped = _type_checking_only(tree)
    names = [name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in skipped
             for name in _imported(node, "ambientnote.facts.plan", False)]
    assert sorted(names) == ["ambientnote.facts", "ambientnote.notes", "typing"]
    assert _node("ambientnote.notes.draft") == "notes" and _node("ambientnote.__version__") == ROOT


if __name__ == "__main__":
    graph = import_graph()
    print(render(graph))
    for component in cycles(graph):
        print("\ncycle: " + _describe(component, graph), file=sys.stderr)
