"""Imports flow one way: no import circles between the project's modules, and each layer
imports only the layers below it (transport -> schema -> resolvers -> models -> ground).

The graph is read from the source with ``ast``: every ``import``, at module level or inside a
function, counts. The only exception is a GraphQL type imported under ``TYPE_CHECKING`` for a
``strawberry.lazy("module")`` annotation in the same file: two type modules that really
reference each other.
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["ground", "espace", "schema", "resolvers", "models", "mailer", "refdata"]

# What each package may import from the project (besides itself).
ALLOWED = {
    "refdata": set(),
    "ground": {"models", "mailer", "refdata"},
    "models": {"ground"},
    "mailer": {"ground", "models"},
    "resolvers": {"ground", "models", "mailer", "refdata"},
    "schema": {"ground", "models", "mailer", "refdata", "resolvers"},
    "espace": {"ground", "models", "mailer", "refdata", "resolvers", "schema"},
}


def modules() -> dict[str, Path]:
    """Every module of the project's packages, by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def lazy_targets(tree: ast.AST) -> set[str]:
    """The modules named in ``strawberry.lazy("...")`` calls."""
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "lazy"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def type_checking_imports(tree: ast.AST) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:``."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                for inner in ast.walk(child):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        ids.add(id(inner))
    return ids


def imported_names(tree: ast.AST) -> Iterator[tuple[ast.stmt, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node, node.module
            for alias in node.names:
                yield node, f"{node.module}.{alias.name}"


def import_graph() -> dict[str, set[str]]:
    """module -> the project modules it imports (lazy type references left out)."""
    known = modules()

    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        lazy = lazy_targets(tree)
        guarded = type_checking_imports(tree)
        for node, imported in imported_names(tree):
            target = resolve(imported)
            if target is None or target == name:
                continue
            if id(node) in guarded and target in lazy:
                continue
            # ``from pkg import x`` names the package too; keep only the deepest module.
            graph[name].add(target)
    for name, targets in graph.items():
        parents = {t for t in targets if any(o.startswith(t + ".") for o in targets)}
        graph[name] = targets - parents
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def test_the_finder_sees_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_circles() -> None:
    assert cycles(import_graph()) == []


def test_each_layer_imports_only_the_layers_below() -> None:
    wrong = sorted(
        f"{name} imports {target}"
        for name, targets in import_graph().items()
        for target in targets
        if (top := name.split(".")[0]) != (other := target.split(".")[0])
        and other not in ALLOWED[top]
    )
    assert wrong == []


def test_resolvers_never_import_strawberry() -> None:
    users = sorted(
        name
        for name, path in modules().items()
        if name.startswith("resolvers")
        for _, imported in imported_names(ast.parse(path.read_text(encoding="utf-8")))
        if imported.split(".")[0] == "strawberry"
    )
    assert users == []


def test_import_graphql_gives_graphql_core() -> None:
    import graphql

    spec = importlib.util.find_spec("graphql")
    assert spec is not None and spec.origin is not None
    assert ROOT / "graphql" not in Path(spec.origin).parents
    assert hasattr(graphql, "graphql_sync") and graphql.version_info >= (3,)
    assert not list((ROOT / "graphql").rglob("*.py")), "graphql/ holds .graphql files only"
