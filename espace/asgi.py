"""ASGI entry point for ``espace serve`` (one app per worker process, settings from the env)."""

from __future__ import annotations

from starlette.applications import Starlette

from espace.app import create_app
from espace.logs import configure_logging
from ground.settings import Settings


def app_factory() -> Starlette:
    settings = Settings()
    configure_logging(settings)  # also when run as ``uvicorn espace.asgi:app_factory``
    return create_app(settings)
