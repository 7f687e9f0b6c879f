"""The mapping of scripts/move_domains.py: its table, its layers, and git."""

from __future__ import annotations

import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAPPING = Path(__file__).resolve().parent / "move_domains.toml"
PATCHES = Path(__file__).resolve().parent / "move_patches"
TMP = "_move_tmp"
TEXT_SUFFIXES = {".py", ".toml", ".md", ".ini", ".cfg", ".mako", ".sh", ".txt", ".yml", ".yaml"}
TEXT_NAMES = {"Makefile", "bootstrap", "run"}
SKIP_PREFIXES = ("graphql/", "uv.lock", "refdata/data/", ".git/")
IGNORED_ENTRIES = {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}


class MoveError(Exception):
    """The move cannot go on; the message says why and what to do."""


@dataclass
class Layer:
    name: str
    title: str
    modules: dict[str, str]
    dirs: dict[str, str]
    keep: list[str]
    fixups: list[dict[str, object]] = field(default_factory=list)

    def moves(self) -> list[tuple[Path, Path]]:
        """(source, target) paths of the layer, relative to the repository root."""
        pairs = [(module_path(old), module_path(new)) for old, new in self.modules.items()]
        pairs += [(Path(old), Path(new)) for old, new in self.dirs.items()]
        return pairs


def module_path(dotted: str) -> Path:
    """Where a module's file is (or goes): ``a.b`` -> ``a/b.py`` (move packages as ``dirs``)."""
    return Path(*dotted.split(".")).with_suffix(".py")


def load(path: Path = MAPPING) -> tuple[list[str], dict[str, str], list[Layer]]:
    """The roots to cover, the package docstrings and the layers, in order."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    layers = [
        Layer(
            name=name,
            title=body["title"],
            modules=dict(body.get("modules", {})),
            dirs=dict(body.get("dirs", {})),
            keep=list(body.get("keep", [])),
            fixups=list(body.get("fixups", [])),
        )
        for name, body in data["layers"].items()
    ]
    return list(data["roots"]), dict(data.get("packages", {})), layers


def git(*args: str, capture: bool = False) -> str:
    result = subprocess.run(["git", *args], cwd=ROOT, check=True, text=True, capture_output=capture)
    return result.stdout if capture else ""
