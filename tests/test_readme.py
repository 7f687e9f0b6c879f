"""The README documents every setting and the two commands."""

from __future__ import annotations

from pathlib import Path

from espace.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    missing = [n for n in Settings.model_fields if f"`ESPACE_{n.upper()}`" not in README]
    assert missing == []


def test_the_two_commands() -> None:
    assert "make demo" in README and "make test" in README
