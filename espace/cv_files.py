"""``GET /cvs/{id}/file``: download the PDF attached to a CV (``Cv.file.url``).

Authenticated by the same bearer token as /graphql. The owner downloads it; an employer
only for a CV published with the candidat's name (never an anonymous one); anyone else
gets 404, as for a CV that does not exist. Always an attachment, never rendered inline.
"""

from __future__ import annotations

import logging
import unicodedata
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from espace.graphql_view import authenticate, bearer_token, error_response
from espace.runtime import Runtime
from resolvers.cv_files import PDF_TYPE, downloadable
from resolvers.unit_of_work import RuntimeWork
from schema.dossier_types import decode_global_id

log = logging.getLogger(__name__)

NOT_FOUND_MESSAGE = "Ce fichier est introuvable."


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact one (RFC 6266 / 5987)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = ascii_name.replace('"', "_").replace("\\", "_") or "cv.pdf"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def routes(runtime: Runtime) -> list[Route]:
    async def cv_file(request: Request) -> Response:
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            response = error_response(401, "UNAUTHENTICATED", "Vous devez être connecté(e).")
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        cv_id = decode_global_id(request.path_params["cv_id"], "Cv") or 0
        work = RuntimeWork(runtime)
        try:
            viewer = await authenticate(runtime, work.read_session(), token)
            if viewer is None:
                return error_response(401, "UNAUTHENTICATED", "Session inconnue ou expirée.")
            found = await downloadable(work, viewer.account, cv_id)
        finally:
            await work.close()
        data = await runtime.storage.get(found.key) if found is not None else None
        if found is None or data is None:
            if found is not None:
                log.error("stored file %s of CV %s is missing", found.key, cv_id)
            return error_response(404, "NOT_FOUND", NOT_FOUND_MESSAGE)
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

    return [Route("/cvs/{cv_id}/file", cv_file, methods=["GET"])]
