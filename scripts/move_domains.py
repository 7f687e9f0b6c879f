#!/usr/bin/env python3
"""Issue 11's move, as a tool that can be re-run on a merged main.

The mapping lives in ``scripts/move_domains.toml`` (old module -> new module, per layer).
For each layer, in order, the tool:

1. checks that every top-level module of ``schema/``, ``resolvers/``, ``espace/`` and
   ``tests/`` is covered by the mapping (or listed as kept), and stops listing the others;
2. ``git mv``-s each file (through a temporary folder, so ``schema/offers.py`` can become
   ``schema/offers/schema.py``), so that ``git log --follow`` keeps the history;
3. creates the new packages' ``__init__.py``;
4. rewrites every reference in the tracked text files: dotted module paths anywhere
   (imports, ``strawberry.lazy("...")``, ``"module:attr"`` strings, patch targets, docs),
   file paths (``schema/x.py``), and ``from package import module`` statements, which become
   ``from package.domain import new as module`` so the local names do not change;
5. applies the layer's literal fix-ups (``Path(__file__)`` depths, pyproject lists);
6. sorts the imports and formats the touched files with ruff, and commits (``--commit``).

A layer whose sources are all gone and whose targets all exist is already applied and is
skipped, so the tool is idempotent; a half-applied layer stops it.

Usage (from the repository root, on a clean tree)::

    scripts/move_domains.py check            # coverage and state of each layer
    scripts/move_domains.py apply --commit   # every pending layer, one commit each
    scripts/move_domains.py apply --layer schema
    scripts/move_domains.py replay           # then the manual commits (scripts/move_patches)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import textwrap
from pathlib import Path

from move_mapping import (
    IGNORED_ENTRIES,
    PATCHES,
    ROOT,
    TMP,
    Layer,
    MoveError,
    git,
    load,
)
from move_rewrite import apply_fixups, rewrite

# -- coverage and state --------------------------------------------------------------------


def uncovered(roots: list[str], layers: list[Layer]) -> list[str]:
    """Top-level entries of the roots that no layer moves, keeps or creates."""
    known: set[str] = set()
    for layer in layers:
        known.update(layer.keep)
        for src, dst in layer.moves():
            known.add(src.as_posix())
            # After the move, the new packages sit at the top level of their root.
            parts = dst.parts
            known.add(Path(*parts[:2]).as_posix())
            known.add(dst.as_posix())
    missing = []
    for root in roots:
        for entry in sorted((ROOT / root).iterdir()):
            if entry.name in IGNORED_ENTRIES or entry.name.startswith("."):
                continue
            rel = entry.relative_to(ROOT).as_posix()
            if rel not in known:
                missing.append(rel)
    return missing


def state(layer: Layer) -> str:
    """``pending``, ``done``, or raises when the layer is half applied."""
    pairs = layer.moves()
    srcs = [(ROOT / s).exists() for s, _ in pairs]
    dsts = [(ROOT / d).exists() for _, d in pairs]
    if all(srcs) and not any(dsts):
        return "pending"
    if all(dsts) and not any(srcs):
        return "done"
    bad = [f"{s} -> {d}" for (s, d), a, b in zip(pairs, srcs, dsts, strict=True) if a == b or not a]
    raise MoveError(
        f"layer {layer.name!r} is half applied or its targets already exist:\n  " + "\n  ".join(bad)
    )


# -- moving --------------------------------------------------------------------------------


def move_files(layer: Layer, docstrings: dict[str, str]) -> list[Path]:
    """``git mv`` through a temporary folder; returns the created ``__init__.py`` files."""
    pairs = layer.moves()
    (ROOT / TMP).mkdir(exist_ok=True)
    staged = []
    for i, (src, dst) in enumerate(pairs):
        tmp = Path(TMP) / f"{i}_{src.name}"
        git("mv", src.as_posix(), tmp.as_posix())
        staged.append((tmp, dst))
    created = []
    for tmp, dst in staged:
        (ROOT / dst.parent).mkdir(parents=True, exist_ok=True)
        git("mv", tmp.as_posix(), dst.as_posix())
    (ROOT / TMP).rmdir()
    for _, dst in pairs:
        for package in [dst.parent, *dst.parent.parents]:
            if package == Path("."):
                break
            init = ROOT / package / "__init__.py"
            if not init.exists():
                dotted = ".".join(package.parts)
                doc = docstrings.get(dotted, f"The {package.name} domain.")
                text = textwrap.fill(f'"""{doc}"""', width=100) + "\n"
                init.write_text(text, encoding="utf-8")
                git("add", init.relative_to(ROOT).as_posix())
                created.append(init)
    return created


def tidy(paths: list[Path]) -> None:
    """Sorts imports and formats the touched Python files (ruff from the project's venv)."""
    py = sorted({p.relative_to(ROOT).as_posix() for p in paths if p.suffix == ".py"})
    if not py:
        return
    ruff = ROOT / ".venv" / "bin" / "ruff"
    subprocess.run([str(ruff), "check", "--fix", "--select", "I", "-q", *py], cwd=ROOT)
    subprocess.run([str(ruff), "format", "-q", *py], cwd=ROOT, check=True)


def report_long_lines() -> None:
    """The renames make some lines longer: list the ones over the limit (to wrap by hand)."""
    ruff = ROOT / ".venv" / "bin" / "ruff"
    result = subprocess.run(
        [str(ruff), "check", "--select", "E501", "--output-format", "concise", "-q", "."],
        cwd=ROOT,
        text=True,
        capture_output=True,
    )
    if result.stdout.strip():
        print("lines to wrap by hand (the first commit of scripts/move_patches does it):")
        print(result.stdout.rstrip())


def apply(layer: Layer, docstrings: dict[str, str], commit: bool) -> None:
    created = move_files(layer, docstrings)
    changed = rewrite(layer)
    changed += apply_fixups(layer)
    tidy(changed + created)
    if changed:
        git("add", "-A", "--", *sorted({p.relative_to(ROOT).as_posix() for p in changed}))
    if commit:
        body = "\n".join(f"  {s.as_posix()} -> {d.as_posix()}" for s, d in layer.moves())
        message = (
            f"{layer.title}\n\nApplied by scripts/move_domains.py (layer {layer.name}):\n\n{body}\n"
        )
        git("commit", "-q", "-m", message)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="coverage of the mapping, and each layer's state")
    run = sub.add_parser("apply", help="apply the pending layers")
    run.add_argument("--layer", action="append", help="only this layer (repeatable)")
    run.add_argument("--commit", action="store_true", help="one commit per layer")
    run.add_argument("--allow-dirty", action="store_true")
    run.add_argument("--no-bootstrap", action="store_true", help="do not reinstall .venv")
    sub.add_parser("replay", help="git am the manual commits in scripts/move_patches/")
    args = parser.parse_args(argv)

    roots, docstrings, layers = load()
    try:
        if args.command == "replay":
            patches = sorted(str(p) for p in PATCHES.glob("*.patch"))
            git("am", "-3", *patches)
            return 0
        states = {layer.name: state(layer) for layer in layers}
        missing = uncovered(roots, layers)
        for layer in layers:
            print(f"{layer.name:10} {states[layer.name]:8} {len(layer.moves())} moves")
        if missing:
            raise MoveError(
                "these top-level modules are not in scripts/move_domains.toml "
                "(add each to a layer's modules, dirs or keep):\n  " + "\n  ".join(missing)
            )
        if args.command == "check":
            return 0
        if not args.allow_dirty and git("status", "--porcelain", capture=True).strip():
            raise MoveError("the working tree is not clean; commit or stash first")
        chosen = [x for x in layers if not args.layer or x.name in args.layer]
        for layer in chosen:
            if states[layer.name] == "done":
                print(f"{layer.name}: already applied, skipped")
                continue
            apply(layer, docstrings, args.commit)
            print(f"{layer.name}: applied")
            # The ``espace`` script's entry point moved: reinstall the project in .venv.
            if not args.no_bootstrap and (ROOT / "scripts" / "bootstrap").exists():
                subprocess.run([str(ROOT / "scripts" / "bootstrap")], cwd=ROOT, check=True)
        report_long_lines()
    except MoveError as error:
        print(f"move_domains: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
