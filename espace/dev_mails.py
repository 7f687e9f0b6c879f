"""``/dev/mails``: the mails caught by the demo's SMTP catcher (demo and debug only)."""

from __future__ import annotations

from starlette.routing import Route

from espace.runtime import Runtime


def routes(runtime: Runtime) -> list[Route]:
    return []
