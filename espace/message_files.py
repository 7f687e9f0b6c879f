"""``GET /messages/attachments/{id}``: download a PDF attached to a message
(``MessageAttachment.url``).

Authenticated by the same bearer token as /graphql; only the readers of the conversation
(``resolvers.messages.visible``) download it, anyone else gets 404 as for an attachment
that does not exist. Always an attachment, never rendered inline.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from espace.cv_files import content_disposition
from espace.graphql_view import authenticate, bearer_token, error_response
from espace.runtime import Runtime
from resolvers.cv_files import PDF_TYPE
from resolvers.message_files import downloadable
from resolvers.unit_of_work import RuntimeWork
from schema.dossier_types import decode_global_id

log = logging.getLogger(__name__)

PATH = "/messages/attachments/{attachment_id}"
NOT_FOUND_MESSAGE = "Cette pièce jointe est introuvable."


def routes(runtime: Runtime) -> list[Route]:
    async def attachment(request: Request) -> Response:
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            response = error_response(401, "UNAUTHENTICATED", "Vous devez être connecté(e).")
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        attachment_id = (
            decode_global_id(request.path_params["attachment_id"], "MessageAttachment") or 0
        )
        work = RuntimeWork(runtime)
        try:
            viewer = await authenticate(runtime, work.read_session(), token)
            if viewer is None:
                return error_response(401, "UNAUTHENTICATED", "Session inconnue ou expirée.")
            found = await downloadable(work, viewer.account, attachment_id)
        finally:
            await work.close()
        data = await runtime.storage.get(found.key) if found is not None else None
        if found is None or data is None:
            if found is not None:
                log.error("stored file %s of attachment %s is missing", found.key, attachment_id)
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

    return [Route(PATH, attachment, methods=["GET"])]
