"""Downloads of the declaration domain, with the same bearer token as /graphql; whoever may
not see the file gets 404, as for one that does not exist:

- ``GET /actualisations/{id}/recu.pdf``: a declaration's receipt (``Actualisation.
  receiptUrl``), drawn from the stored declaration; its owner only;
- ``GET /justificatifs/{id}/fichier``: a supporting document (``SupportingDocument.url``);
  the candidat who sent it and the advisers of their agency.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from espace.graphql_view import authenticate
from espace.responses import bearer_token, error_response
from espace.web.downloads import content_disposition
from ground.runtime import Runtime
from models.identity import Account
from resolvers.actualisation.documents import documents_by_ids
from resolvers.actualisation.receipt import receipt_pdf
from resolvers.actualisation.submit import actualisations_by_ids
from resolvers.core.unit_of_work import RuntimeWork
from schema.core.error_codes import ApiErrorCode
from schema.core.ids import decode_global_id

File = tuple[bytes, str, str]  # content, content type, name
Find = Callable[[RuntimeWork, Account, int], Awaitable[File | None]]


def _route(runtime: Runtime, path: str, node_type: str, find: Find, not_found: str) -> Route:
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
        if found is None:
            return error_response(404, ApiErrorCode.NOT_FOUND, not_found)
        data, content_type, name = found
        return Response(
            data,
            media_type=content_type,
            headers={
                "Content-Disposition": content_disposition(name),
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-store",
                "Content-Security-Policy": "default-src 'none'; sandbox",
            },
        )

    return Route(path, download, methods=["GET"])


def routes(runtime: Runtime) -> list[Route]:
    async def receipt(work: RuntimeWork, account: Account, node_id: int) -> File | None:
        found = await actualisations_by_ids(work.read_session(), account.id, [node_id])
        row = found.get(node_id)
        if row is None:
            return None
        pdf = receipt_pdf(row, account.identifiant)
        return pdf, "application/pdf", f"recepisse-{row.number}.pdf"

    async def document(work: RuntimeWork, account: Account, node_id: int) -> File | None:
        found = await documents_by_ids(work.read_session(), account, [node_id])
        row = found.get(node_id)
        data = await runtime.storage.get(row.storage_key) if row is not None else None
        if row is None or data is None:
            return None
        return data, row.content_type, row.name

    return [
        _route(
            runtime,
            "/actualisations/{id}/recu.pdf",
            "Actualisation",
            receipt,
            "Ce récépissé est introuvable.",
        ),
        _route(
            runtime,
            "/justificatifs/{id}/fichier",
            "SupportingDocument",
            document,
            "Ce justificatif est introuvable.",
        ),
    ]
