"""Authenticated PDF downloads (CV files, message attachments).

The same bearer token as /graphql; whoever may not see the file gets 404, as for a file that
does not exist; always an attachment, never rendered inline.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from espace.graphql_view import authenticate
from espace.responses import bearer_token, error_response
from ground.runtime import Runtime
from ground.storage import Download
from models.identity import Account
from resolvers.core.unit_of_work import RuntimeWork
from schema.core.error_codes import ApiErrorCode
from schema.core.ids import decode_global_id

log = logging.getLogger(__name__)

PDF_TYPE = "application/pdf"
Find = Callable[[RuntimeWork, Account, int], Awaitable[Download | None]]


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact one (RFC 6266 / 5987)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = ascii_name.replace('"', "_").replace("\\", "_") or "document.pdf"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def pdf_route(runtime: Runtime, path: str, node_type: str, find: Find, not_found: str) -> Route:
    """``GET path`` (its one parameter ``id`` is the global ID of a ``node_type``) serving
    the PDF that ``find`` lets the signed-in account download."""

    async def download(request: Request) -> Response:
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            response = error_response(
                401, ApiErrorCode.UNAUTHENTICATED, "Vous devez être connecté(e)."
            )
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        node_id = decode_global_id(request.path_params["id"], node_type) or 0
        work = RuntimeWork(runtime)
        try:
            viewer = await authenticate(runtime, work.read_session(), token)
            if viewer is None:
                return error_response(
                    401, ApiErrorCode.UNAUTHENTICATED, "Session inconnue ou expirée."
                )
            found = await find(work, viewer.account, node_id)
        finally:
            await work.close()
        data = await runtime.storage.get(found.key) if found is not None else None
        if found is None or data is None:
            if found is not None:
                log.error("stored file %s of %s %s is missing", found.key, node_type, node_id)
            return error_response(404, ApiErrorCode.NOT_FOUND, not_found)
        return Response(
            data,
            media_type=PDF_TYPE,
            headers={
                "Content-Disposition": content_disposition(found.name),
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-store",
                "Content-Security-Policy": "default-src 'none'; sandbox",
            },
        )

    return Route(path, download, methods=["GET"])
