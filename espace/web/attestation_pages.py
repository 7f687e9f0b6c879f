"""Attestations on the web:

- ``GET /attestations/{id}``: the candidat downloads the PDF (bearer token; others 404);
- ``GET /attestations/verifier/{code}``: the public page the QR code opens. It confirms that
  the code belongs to an attestation issued by the service, with its kind, date and main
  facts (the holder as « A. LE GOFF »), and nothing the document does not show. An unknown
  code answers 404. The page is French, ``noindex``, and its CSP allows no script.
"""

from __future__ import annotations

import asyncio
from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from espace.graphql_view import authenticate
from espace.responses import bearer_token, error_response
from espace.web.email_pages import page_renderer
from espace.web.letter_files import pdf_response, unauthenticated
from ground.runtime import Runtime
from resolvers.attestations.issue import VERIFY_PATH, attestations_by_ids, by_code
from resolvers.attestations.pdf import attestation_file_name, attestation_pdf
from resolvers.core.pdf import french_date
from resolvers.core.unit_of_work import RuntimeWork
from schema.core.error_codes import ApiErrorCode
from schema.core.ids import decode_global_id


def routes(runtime: Runtime) -> list[Route]:
    settings = runtime.settings
    page = page_renderer(runtime, "", "")

    async def download(request: Request) -> Response:
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            return unauthenticated("Vous devez être connecté(e).")
        attestation_id = decode_global_id(request.path_params["id"], "Attestation") or 0
        work = RuntimeWork(runtime)
        try:
            viewer = await authenticate(runtime, work.read_session(), token)
            if viewer is None:
                return unauthenticated("Session inconnue ou expirée.")
            found = await attestations_by_ids(
                work.read_session(), viewer.account.id, [attestation_id]
            )
        finally:
            await work.close()
        row = found.get(attestation_id)
        if row is None:
            return error_response(404, ApiErrorCode.NOT_FOUND, "Cette attestation est introuvable.")
        url = settings.link(VERIFY_PATH.format(code=row.code))
        data = await asyncio.to_thread(attestation_pdf, row, url)
        return pdf_response(data, attestation_file_name(row))

    async def verify(request: Request) -> Response:
        async with runtime.read_sessionmaker() as session:
            row = await by_code(session, str(request.path_params["code"]))
        if row is None:
            return page(
                404,
                title="Attestation introuvable",
                paragraphs=[
                    "Aucune attestation ne correspond à ce code. Vérifiez le code imprimé "
                    "sur le document : un document dont le code est inconnu n'a pas été "
                    "délivré par ce service."
                ],
            )
        facts = row.facts
        issued = french_date(date.fromisoformat(facts["issuedOn"]))
        return page(
            title="Attestation authentique",
            paragraphs=[
                f"Ce code ({row.code}) correspond à une attestation délivrée par ce service.",
                f"{facts['title']}, délivrée le {issued}.",
                *(f"{label} : {value}" for label, value in facts["public"]),
                "Comparez ces informations avec celles du document qui vous a été remis.",
            ],
        )

    return [
        Route("/attestations/verifier/{code}", verify, methods=["GET"]),
        Route("/attestations/{id}", download, methods=["GET"]),
    ]
