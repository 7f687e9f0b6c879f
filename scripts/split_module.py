#!/usr/bin/env python3
"""Moves the top-level definitions of a line range of a module into a new module.

    scripts/split_module.py SRC.py START END DST.py "Docstring of the new module."
    scripts/split_module.py SRC.py first_def last_def|END DST.py "Docstring."

The new module gets the old one's imports (ruff drops the unused ones) and imports what it
still needs from the old module; the old module imports back what it uses of the moved
definitions (the tool refuses when both are needed: that would be an import circle).
``from old import name`` statements elsewhere in the repository are repointed; uses through
a module alias (``old_alias.name``) are listed, to repoint by hand. Used for the size
splits of issue 11 (see scripts/move_patches/ for the ones applied).
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    "ground",
    "espace",
    "schema",
    "resolvers",
    "models",
    "mailer",
    "refdata",
    "tests",
    "bench",
]


def dotted(path: Path) -> str:
    return ".".join(path.resolve().relative_to(ROOT).with_suffix("").parts)


def top_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def used_names(tree: ast.AST) -> set[str]:
    """Names read (a name also assigned in the same text is taken as local)."""
    names = [n for n in ast.walk(tree) if isinstance(n, ast.Name)]
    stored = {n.id for n in names if isinstance(n.ctx, ast.Store)}
    return {n.id for n in names if isinstance(n.ctx, ast.Load)} - stored


def fixtures(tree: ast.Module) -> set[str]:
    """The module's pytest fixtures (a test names them as arguments, not in its code)."""
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and any("fixture" in ast.unparse(d) for d in node.decorator_list)
    }


def fixture_args(tree: ast.Module) -> set[str]:
    return {
        arg.arg
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for arg in node.args.args + node.args.kwonlyargs
    }


def header_end(tree: ast.Module) -> int:
    """The last line of the module's leading imports (and TYPE_CHECKING block)."""
    end = 0
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom) or (
            isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        ):
            end = node.end_lineno or node.lineno
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue
        else:
            break
    return end


def imports_end(tree: ast.Module) -> int:
    """The last line of the module's first block of imports."""
    end = 0
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            end = node.end_lineno or node.lineno
        elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            break
    return end


def repoint(old: str, new: str, moved: set[str]) -> list[str]:
    """Repoints ``from old import name`` for moved names; returns alias uses to fix by hand."""
    by_hand = []
    leaf = old.rpartition(".")[2]
    for root in SOURCES:
        for path in (ROOT / root).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if old not in text and leaf not in text:
                continue
            tree = ast.parse(text)
            lines = text.splitlines(keepends=True)
            edits = []
            aliases = set()
            imports: set[str] = set()
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module == old:
                    names = [a for a in node.names if a.name in moved]
                    if not names:
                        continue
                    rest = [a for a in node.names if a.name not in moved]
                    indent = " " * node.col_offset

                    def fmt(items: list[ast.alias]) -> str:
                        return ", ".join(
                            a.name if a.asname is None else f"{a.name} as {a.asname}" for a in items
                        )

                    out = ""
                    if rest:
                        out += f"{indent}from {old} import {fmt(rest)}\n"
                    out += f"{indent}from {new} import {fmt(names)}\n"
                    edits.append((node.lineno, node.end_lineno or node.lineno, out))
                elif isinstance(node, ast.ImportFrom) and node.module:
                    for a in node.names:
                        if f"{node.module}.{a.name}" == old:
                            aliases.add(a.asname or a.name)
                elif isinstance(node, ast.Import):
                    for a in node.names:
                        if a.name == old:
                            aliases.add(a.asname or a.name)
            uses = [
                node
                for node in ast.walk(tree)
                if isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr in moved
            ]
            for node in sorted(uses, key=lambda n: (n.lineno, n.col_offset), reverse=True):
                assert isinstance(node.value, ast.Name)
                line = lines[node.lineno - 1]
                alias = f"{node.value.id}_{new.rpartition('.')[2]}"
                new_ref = f"{alias}.{node.attr}"
                lines[node.lineno - 1] = (
                    line[: node.col_offset] + new_ref + line[node.end_col_offset :]
                )
                parent, _, leaf = new.rpartition(".")
                imports.add(f"from {parent} import {leaf} as {alias}\n")
            if edits:
                for start, end, out in sorted(edits, reverse=True):
                    lines[start - 1 : end] = [out]
            if edits or imports:
                body = "".join(lines)
                tree = ast.parse(body)
                at = imports_end(tree)
                lines = body.splitlines(keepends=True)
                lines[at:at] = sorted(imports)
                path.write_text("".join(lines), encoding="utf-8")
    return by_hand


def split(src: Path, start: int, end: int, dst: Path, doc: str) -> int:
    text = src.read_text(encoding="utf-8")
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    head_end = header_end(tree)
    if start <= head_end:
        raise SystemExit("the range starts inside the imports")
    docstring_end = tree.body[0].end_lineno if ast.get_docstring(tree) else 0
    header = "".join(lines[docstring_end or 0 : head_end])
    moved_text = "".join(lines[start - 1 : end])
    kept_text = "".join(lines[: start - 1] + lines[end:])
    moved_names = top_names(ast.parse(moved_text))
    kept_names = top_names(ast.parse(kept_text))
    old_mod, new_mod = dotted(src), dotted(dst)
    needs_old = (used_names(ast.parse(moved_text)) & kept_names) - moved_names
    needed_fixtures = fixture_args(ast.parse(moved_text)) & fixtures(ast.parse(kept_text))
    needs_old -= needed_fixtures
    needs_new = used_names(ast.parse("".join(lines[head_end : start - 1] + lines[end:])))
    needs_new &= moved_names
    if (needs_old or needed_fixtures) and needs_new:
        raise SystemExit(
            f"circle: the new module needs {sorted(needs_old)}, the old one {sorted(needs_new)}"
        )
    new_text = textwrap.fill(f'"""{doc}"""', width=96) + "\n" + header
    if needs_old:
        new_text += f"from {old_mod} import {', '.join(sorted(needs_old))}\n"
    for name in sorted(needed_fixtures):  # pytest finds a fixture by its name in the module
        new_text += f"from {old_mod} import {name}  # noqa: F401\n"
    new_text += "\n\n" + moved_text.strip("\n") + "\n"
    if needs_new:
        kept_lines = kept_text.splitlines(keepends=True)
        kept_lines.insert(head_end, f"from {new_mod} import {', '.join(sorted(needs_new))}\n")
        kept_text = "".join(kept_lines)
    src.write_text(kept_text, encoding="utf-8")
    dst.write_text(new_text, encoding="utf-8")
    by_hand = repoint(old_mod, new_mod, moved_names)
    for _ in range(5):  # a file's alias uses may only show once its imports are repointed
        by_hand = repoint(old_mod, new_mod, moved_names)
    ruff = str(ROOT / ".venv" / "bin" / "ruff")
    subprocess.run([ruff, "check", "--fix", "-q", "--select", "F401,I", "."], cwd=ROOT)
    subprocess.run([ruff, "format", "-q", "."], cwd=ROOT, check=True)
    for item in by_hand:
        print(f"repoint by hand: {item}")
    return 0


def line_range(src: Path, first: str, last: str) -> tuple[int, int]:
    """The lines from top-level definition ``first`` (its decorators included) to the end of
    ``last`` (``END``: the end of the module). Names survive a merge better than numbers."""
    text = src.read_text(encoding="utf-8")
    defs: dict[str, ast.stmt] = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defs[node.name] = node
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            defs.update({t.id: node for t in targets if isinstance(t, ast.Name)})
    if first not in defs or (last != "END" and last not in defs):
        raise SystemExit(f"{src}: no top-level {first!r} or {last!r}")
    node = defs[first]
    decorators = getattr(node, "decorator_list", [])
    start = min([node.lineno, *(d.lineno for d in decorators)])
    end = len(text.splitlines()) if last == "END" else (defs[last].end_lineno or 0)
    return start, end


def main(argv: list[str]) -> int:
    """``SRC START END DST DOC`` with line numbers, or with definition names (``END``)."""
    src, first, last, dst, doc = argv
    path = Path(src)
    if first.isdigit():
        start, end = int(first), int(last)
    else:
        start, end = line_range(path, first, last)
    return split(path, start, end, Path(dst), doc)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
