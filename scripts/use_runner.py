#!/usr/bin/env python3
"""Rewrites the hand-written mutation wrapper into a call of ``schema.core.runner``.

The shape it converts (the one repeated in most mutations)::

    ctx = info.context
    try:
        viewer = ctx.require_viewer()
        name = <pure statement>                      # any number, optional
        async with ctx.write() as session:
            row = await domain_function(...)         # exactly one statement
    except DomainError as e:
        return Payload(field=None, user_errors=user_errors(e))
    return Payload(field=..., user_errors=[])

becomes::

    name = <pure statement>
    return await run_mutation(
        info, Payload, lambda session, viewer: domain_function(...),
        lambda row: Payload(field=..., user_errors=[]),
    )

Every other shape is left alone and listed, to convert by hand. Idempotent: a converted
mutation no longer has the shape. Run it from the repository root on ``schema/``:

    scripts/use_runner.py schema            # then ruff check --fix and ruff format
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

IMPORT = "from schema.core.runner import run_mutation\n"


def _is_refused_return(handler: ast.ExceptHandler) -> bool:
    if len(handler.body) != 1 or not isinstance(handler.body[0], ast.Return):
        return False
    call = handler.body[0].value
    if not isinstance(call, ast.Call) or call.args:
        return False
    for kw in call.keywords:
        if kw.arg == "user_errors":
            continue
        if not (isinstance(kw.value, ast.Constant) and kw.value.value is None):
            return False
    return True


def _convert(src: str, func: ast.AsyncFunctionDef) -> tuple[int, int, str] | None:
    """(first line, last line, new text) of the function's body, or None if not the shape."""
    body = func.body
    tries = [i for i, s in enumerate(body) if isinstance(s, ast.Try)]
    if len(tries) != 1:
        return None
    i = tries[0]
    node = body[i]
    assert isinstance(node, ast.Try)
    rest = body[i + 1 :]
    if node.orelse or node.finalbody or len(node.handlers) != 1 or len(rest) != 1:
        return None
    handler = node.handlers[0]
    if not (
        isinstance(handler.type, ast.Name)
        and handler.type.id == "DomainError"
        and _is_refused_return(handler)
    ):
        return None
    final = rest[0]
    if not isinstance(final, ast.Return) or final.value is None:
        return None
    if len(node.body) < 2:
        return None
    first, *middle, last = node.body
    if ast.unparse(first) != "viewer = ctx.require_viewer()":
        return None
    if not (
        isinstance(last, ast.AsyncWith)
        and len(last.items) == 1
        and ast.unparse(last.items[0]) == "ctx.write() as session"
        and len(last.body) == 1
    ):
        return None
    inner = last.body[0]
    if isinstance(inner, ast.Assign) and len(inner.targets) == 1:
        target = inner.targets[0]
        if not isinstance(target, ast.Name) or not isinstance(inner.value, ast.Await):
            return None
        result, call = target.id, inner.value.value
    elif isinstance(inner, ast.Expr) and isinstance(inner.value, ast.Await):
        result, call = "_", inner.value.value
    else:
        return None
    if any("viewer" in ast.unparse(m) or "session" in ast.unparse(m) for m in middle):
        return None
    refused = handler.body[0]
    assert isinstance(refused, ast.Return) and isinstance(refused.value, ast.Call)
    payload = ast.unparse(refused.value.func)
    indent = " " * func.body[0].col_offset
    before = [ast.get_source_segment(src, s) for s in body[:i]]
    kept = [s for s in before if s is not None]
    call_text = ast.get_source_segment(src, call)
    done_text = ast.get_source_segment(src, final.value)
    lines = [*kept, *(ast.get_source_segment(src, m) or "" for m in middle)]
    uses_ctx = "ctx." in (call_text or "") + (done_text or "") + "".join(lines[1:])
    if not uses_ctx:
        lines = [s for s in lines if s.strip() != "ctx = info.context"]
    text = "".join(f"{indent}{line}\n" for line in lines)
    text += (
        f"{indent}return await run_mutation(\n"
        f"{indent}    info,\n"
        f"{indent}    {payload},\n"
        f"{indent}    lambda session, viewer: {call_text},\n"
        f"{indent}    lambda {result}: {done_text},\n"
        f"{indent})\n"
    )
    start = body[0].lineno
    end = final.end_lineno or final.lineno
    return start, end, text


def convert_file(path: Path) -> tuple[int, list[str]]:
    """Converts the file's mutations in place; returns (converted, left as they are)."""
    src = path.read_text(encoding="utf-8")
    tree = ast.parse(src)
    edits, left = [], []
    for node in ast.walk(tree):
        if not isinstance(node, ast.AsyncFunctionDef):
            continue
        if not any(
            isinstance(h, ast.ExceptHandler) and ast.unparse(h.type or ast.Pass()) == "DomainError"
            for s in node.body
            if isinstance(s, ast.Try)
            for h in s.handlers
        ):
            continue
        edit = _convert(src, node)
        if edit is None:
            left.append(f"{path}:{node.lineno} {node.name}")
        else:
            edits.append(edit)
    if edits:
        lines = src.splitlines(keepends=True)
        for start, end, text in sorted(edits, reverse=True):
            lines[start - 1 : end] = [text]
        out = "".join(lines)
        if IMPORT not in out:
            anchor = "from schema.core.context import Info\n"
            out = out.replace(anchor, anchor + IMPORT, 1)
        path.write_text(out, encoding="utf-8")
    return len(edits), left


def main(argv: list[str]) -> int:
    total, left = 0, []
    for root in argv or ["schema"]:
        for path in sorted(Path(root).rglob("*.py")):
            done, rest = convert_file(path)
            total += done
            left += rest
    print(f"converted {total} mutations")
    if left:
        print("left for a hand (another shape):")
        print("\n".join(f"  {item}" for item in left))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
