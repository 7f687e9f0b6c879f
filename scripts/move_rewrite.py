"""How scripts/move_domains.py rewrites the references to moved modules."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from move_mapping import (
    PATCHES,
    ROOT,
    SKIP_PREFIXES,
    TEXT_NAMES,
    TEXT_SUFFIXES,
    TMP,
    Layer,
    MoveError,
    git,
)

# -- rewriting -----------------------------------------------------------------------------


def dotted_pattern(names: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])({alternatives})(?![\w])")


def path_pattern(paths: dict[str, str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(paths, key=len, reverse=True))
    return re.compile(rf"(?<![\w/.])({alternatives})(?![\w])")


def rewrite_from_imports(text: str, modules: dict[str, str], filename: str) -> str:
    """``from pkg import mod`` (a moved module) -> ``from pkg.domain import new as mod``."""
    tree = ast.parse(text, filename=filename)
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.module is None:
            continue
        if node.level:
            continue
        moved = [a for a in node.names if f"{node.module}.{a.name}" in modules]
        if not moved:
            continue
        end = node.end_lineno or node.lineno
        first = lines[node.lineno - 1]
        indent = first[: len(first) - len(first.lstrip())]
        if node.col_offset != len(indent) or lines[end - 1].rstrip().endswith(";"):
            raise MoveError(f"{filename}:{node.lineno}: an import shares its line; split it")
        out = []
        rest = [a for a in node.names if a not in moved]
        if rest:
            names = ", ".join(
                a.name if a.asname is None else f"{a.name} as {a.asname}" for a in rest
            )
            out.append(f"{indent}from {node.module} import {names}\n")
        for alias in moved:
            new = modules[f"{node.module}.{alias.name}"]
            parent, _, leaf = new.rpartition(".")
            local = alias.asname or alias.name
            suffix = "" if local == leaf else f" as {local}"
            out.append(f"{indent}from {parent} import {leaf}{suffix}\n")
        edits.append((node.lineno - 1, end, "".join(out)))
    for start, end, new_text in sorted(edits, reverse=True):
        lines[start:end] = [new_text]
    return "".join(lines)


def check_relative_imports(path: Path, text: str) -> None:
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.level:
            raise MoveError(f"{path}:{node.lineno}: relative import; make it absolute first")


def text_files() -> list[Path]:
    names = git("ls-files", "-z", capture=True).split("\0")
    own = {f.resolve() for f in Path(__file__).resolve().parent.glob("move_*")}
    files = []
    for name in names:
        if not name or name.startswith(SKIP_PREFIXES) or name.startswith(TMP):
            continue
        path = ROOT / name
        if path.resolve() in own or PATCHES in path.parents or not path.is_file():
            continue
        if path.suffix in TEXT_SUFFIXES or path.name in TEXT_NAMES:
            files.append(path)
    return files


def rewrite(layer: Layer) -> list[Path]:
    """Rewrites every reference to the layer's moved modules; returns the changed files."""
    dotted = dotted_pattern(list(layer.modules))
    paths = {s.as_posix(): d.as_posix() for s, d in layer.moves()}
    by_path = path_pattern(paths)
    changed = []
    for path in text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        new = dotted.sub(lambda m: layer.modules[m.group(1)], text)
        new = by_path.sub(lambda m: paths[m.group(1)], new)
        if path.suffix == ".py":
            check_relative_imports(path, new)
            new = rewrite_from_imports(new, layer.modules, str(path))
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def apply_fixups(layer: Layer) -> list[Path]:
    changed = []
    for fix in layer.fixups:
        path = ROOT / str(fix["file"])
        text = path.read_text(encoding="utf-8")
        old, new = str(fix["old"]), str(fix["new"])
        count = int(str(fix.get("count", 1)))
        if text.count(old) != count:
            raise MoveError(
                f"fix-up of {fix['file']}: expected {count} x {old!r}, found {text.count(old)}"
            )
        path.write_text(text.replace(old, new), encoding="utf-8")
        changed.append(path)
    return changed
