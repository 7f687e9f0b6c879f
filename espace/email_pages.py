"""Pages behind the links of the e-mail confirmation mail (owned by the dossiers domain)."""

from __future__ import annotations

from starlette.routing import Route

from espace.runtime import Runtime


def routes(runtime: Runtime) -> list[Route]:
    return []
