"""Pages behind the links of the alert mails (owned by the alerts domain).

- GET ``/abonnements/desabonnement?token=…`` asks to confirm (a link checker opening it
  unsubscribes nobody); a POST of the same token unsubscribes: from the page's button, or
  straight from the mail client as RFC 8058 one-click (``List-Unsubscribe=One-Click``, the
  token in the URL). No sign-in; a forged or used token answers 404.
- GET ``/offres/{number}`` shows a published offer, so the mail's offer links work.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from espace.web.email_pages import page_renderer
from ground.db import begin_write
from ground.runtime import Runtime
from models.base import utcnow
from resolvers.alerts import manage as alerts
from resolvers.alerts.mail import OFFER_PATH
from resolvers.core.errors import DomainError
from resolvers.offers.fields import TYPE_CONTRAT_LABELS, TypeContrat
from resolvers.offers.manage import offer_by_number, visible_to

GONE = (
    "Ce lien de désabonnement n'est plus valable : l'abonnement a déjà été supprimé, "
    "ou le lien est incomplet."
)


def routes(runtime: Runtime) -> list[Route]:
    page = page_renderer(runtime, alerts.UNSUBSCRIBE_PATH, "Je me désabonne")

    async def unsubscribe_form(request: Request) -> Response:
        token = request.query_params.get("token", "")
        return page(
            title="Se désabonner des offres d'emploi",
            paragraphs=[
                "Vous ne recevrez plus les offres de cet abonnement par courriel. "
                "Vos autres abonnements ne changent pas."
            ],
            form_token=token,
        )

    async def unsubscribe(request: Request) -> Response:
        # One-click (RFC 8058): the token is in the URL and the body says
        # "List-Unsubscribe=One-Click"; the page's form posts it in the body.
        form = await request.form()
        posted = form.get("token")
        token = posted if isinstance(posted, str) else request.query_params.get("token", "")
        try:
            async with runtime.sessionmaker() as session, session.begin():
                await begin_write(session)
                alert = await alerts.unsubscribe(session, runtime, token)
        except DomainError:
            return page(404, title="Lien de désabonnement", paragraphs=[GONE])
        return page(
            title="Vous êtes désabonné(e)",
            paragraphs=[
                f"Vous ne recevrez plus les offres de l'abonnement « {alert.name} ».",
                "Vous pouvez créer un autre abonnement depuis votre Espace Candidat.",
            ],
        )

    async def offer_page(request: Request) -> Response:
        number = str(request.path_params["number"]).upper()[:7]
        async with runtime.read_sessionmaker() as session:
            offer = await offer_by_number(session, number)
        if offer is None or not visible_to(offer, None, utcnow()):
            return page(
                404,
                title="Offre introuvable",
                paragraphs=["Cette offre n'existe pas ou n'est plus disponible."],
            )
        paragraphs = [
            f"Offre n° {offer.number} — {offer.lieu_libelle} — "
            f"{TYPE_CONTRAT_LABELS[TypeContrat(offer.type_contrat)]}",
            *(p for p in (offer.employer_name, offer.salaire_libelle) if p),
            offer.description,
        ]
        return page(title=offer.intitule, paragraphs=paragraphs)

    return [
        Route(alerts.UNSUBSCRIBE_PATH, unsubscribe_form, methods=["GET"]),
        Route(alerts.UNSUBSCRIBE_PATH, unsubscribe, methods=["POST"]),
        Route(OFFER_PATH + "{number}", offer_page, methods=["GET"]),
    ]
