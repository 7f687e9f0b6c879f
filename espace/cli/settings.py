"""The settings of a command: read from the environment, or a French error and exit code 2."""

from __future__ import annotations

import sys

from pydantic import ValidationError

from ground.settings import Settings


def load_settings(**overrides: object) -> Settings:
    """The ``Settings`` from ``ESPACE_*`` variables; exits with code 2 when they are invalid."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        for error in exc.errors():
            print(f"espace: configuration invalide : {error['msg']}", file=sys.stderr)
        raise SystemExit(2) from exc
