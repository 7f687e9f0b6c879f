"""ASGI entry point for ``espace serve`` (one app per worker process, settings from the env)."""

from __future__ import annotations

from starlette.applications import Starlette

from espace.app import create_app
from espace.settings import Settings


def app_factory() -> Starlette:
    return create_app(Settings())
