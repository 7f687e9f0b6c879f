"""No module over 300 lines: a module that grows past it is split by what it does."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 300


def python_files() -> list[Path]:
    """Every Python file of the repository (tracked or new, not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in listed if (ROOT / name).is_file()]


def test_no_module_over_300_lines() -> None:
    files = python_files()
    assert len(files) > 100  # the listing found the project
    too_long = sorted(
        f"{path.relative_to(ROOT)}: {count} lines"
        for path in files
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    )
    assert too_long == []
