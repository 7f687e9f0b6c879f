"""``GET /courriers/{id}``: download a letter's PDF (``Letter.downloadUrl``).

The same bearer token as /graphql; the candidat's own letters only (anyone else: 404, as
for a letter that does not exist). The PDF is rendered from the letter's frozen facts, and
the first download marks the letter read, in one write transaction.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from espace.graphql_view import authenticate
from espace.responses import bearer_token, error_response
from espace.web.downloads import PDF_TYPE, content_disposition
from ground.runtime import Runtime
from resolvers.core.unit_of_work import RuntimeWork
from resolvers.letters.pdf import letter_file_name, letter_pdf
from resolvers.letters.reads import open_letter
from schema.core.error_codes import ApiErrorCode
from schema.core.ids import decode_global_id

PATH = "/courriers/{id}"
NOT_FOUND = "Ce courrier est introuvable."

PDF_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def unauthenticated(message: str) -> Response:
    response = error_response(401, ApiErrorCode.UNAUTHENTICATED, message)
    response.headers["WWW-Authenticate"] = "Bearer"
    return response


def pdf_response(data: bytes, name: str) -> Response:
    """An attachment, never rendered inline."""
    headers = {"Content-Disposition": content_disposition(name), **PDF_HEADERS}
    return Response(data, media_type=PDF_TYPE, headers=headers)


def routes(runtime: Runtime) -> list[Route]:
    async def download(request: Request) -> Response:
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            return unauthenticated("Vous devez être connecté(e).")
        letter_id = decode_global_id(request.path_params["id"], "Letter") or 0
        work = RuntimeWork(runtime)
        try:
            viewer = await authenticate(runtime, work.read_session(), token)
            if viewer is None:
                return unauthenticated("Session inconnue ou expirée.")
            async with work.write() as session:
                letter = await open_letter(
                    session, viewer.account.id, letter_id, runtime.clock.now()
                )
        finally:
            await work.close()
        if letter is None:
            return error_response(404, ApiErrorCode.NOT_FOUND, NOT_FOUND)
        data = await asyncio.to_thread(letter_pdf, letter)
        return pdf_response(data, letter_file_name(letter))

    return [Route(PATH, download, methods=["GET"])]
