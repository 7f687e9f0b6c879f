"""``GET /donnees/export/{token}``: download the archive of one's data (the link of the
« archive prête » mail), with the bearer token of the account that asked for it.

Without a session: 401. Another account's link, or an unknown one: 404 (NOT_FOUND), as for a
link that does not exist. A link already used: 410 (LINK_USED); past its date: 410
(LINK_EXPIRED). The first download consumes the link, then the archive is removed.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from espace.graphql_view import authenticate
from espace.responses import bearer_token, error_response
from espace.web.downloads import content_disposition
from espace.web.letter_files import unauthenticated
from ground.runtime import Runtime
from resolvers.core.unit_of_work import RuntimeWork
from resolvers.data_export.download import Refusal, take_archive
from resolvers.data_export.worker import DOWNLOAD_PATH
from schema.core.error_codes import ApiErrorCode

log = logging.getLogger(__name__)

REFUSALS = {
    Refusal.NOT_FOUND: (404, ApiErrorCode.NOT_FOUND, "Ce lien de téléchargement est introuvable."),
    Refusal.USED: (
        410,
        ApiErrorCode.LINK_USED,
        "Ce lien a déjà servi : demandez un nouvel export de vos données.",
    ),
    Refusal.EXPIRED: (
        410,
        ApiErrorCode.LINK_EXPIRED,
        "Ce lien a expiré : demandez un nouvel export de vos données.",
    ),
}


def routes(runtime: Runtime) -> list[Route]:
    async def download(request: Request) -> Response:
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            return unauthenticated("Vous devez être connecté(e).")
        link = str(request.path_params["token"])
        work = RuntimeWork(runtime)
        try:
            viewer = await authenticate(runtime, work.read_session(), token)
            if viewer is None:
                return unauthenticated("Session inconnue ou expirée.")
            async with work.write() as session:
                taken = await take_archive(session, runtime, viewer.account.id, link[:200])
        finally:
            await work.close()
        if isinstance(taken, Refusal):
            status, code, message = REFUSALS[taken]
            return error_response(status, code, message)
        await runtime.storage.delete(taken.key)
        return Response(
            taken.data,
            media_type="application/zip",
            headers={
                "Content-Disposition": content_disposition(taken.name),
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-store",
                "Referrer-Policy": "no-referrer",
            },
        )

    return [Route(DOWNLOAD_PATH, download, methods=["GET"])]
