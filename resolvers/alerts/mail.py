"""The alert mail (instant: one offer; digest: the offers since the last one), French, text
and HTML, with a one-click unsubscribe link and the RFC 8058 headers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.alerts import Alert, AlertFrequency
from models.dossiers import Dossier
from models.offers import Offer
from resolvers.alerts.manage import unsubscribe_url
from resolvers.dossiers.fields import CIVILITE_LABELS, Civilite
from resolvers.offers.fields import TYPE_CONTRAT_LABELS, TypeContrat

if TYPE_CHECKING:
    from ground.runtime import Runtime

TEMPLATE = "alert_offers"
OFFER_PATH = "/offres/"
MAX_LISTED = 20
FREQUENCY_LABELS = {
    AlertFrequency.INSTANT: "dès leur publication",
    AlertFrequency.DAILY: "chaque jour",
    AlertFrequency.WEEKLY: "chaque semaine",
}


def offer_url(runtime: Runtime, number: str) -> str:
    return runtime.settings.link(f"{OFFER_PATH}{number}")


def _offer(runtime: Runtime, offer: Offer) -> dict[str, Any]:
    return {
        "intitule": offer.intitule,
        "number": offer.number,
        "lieu": offer.lieu_libelle,
        "contrat": TYPE_CONTRAT_LABELS[TypeContrat(offer.type_contrat)],
        "entreprise": offer.employer_name or "",
        "salaire": offer.salaire_libelle or "",
        "url": offer_url(runtime, offer.number),
    }


async def enqueue_alert_mail(
    session: AsyncSession,
    runtime: Runtime,
    alert: Alert,
    dossier: Dossier,
    offers: Sequence[Offer],
    total: int,
) -> None:
    """Add the mail to the outbox in the caller's transaction (``total`` ≥ len(offers))."""
    assert dossier.email is not None
    link = unsubscribe_url(runtime, alert)
    listed = list(offers[:MAX_LISTED])
    context = {
        "civilite": CIVILITE_LABELS[Civilite(dossier.civilite)],
        "prenom": dossier.prenom,
        "nom": dossier.nom,
        "alert_name": alert.name,
        "dossier_name": dossier.name,
        "frequency": FREQUENCY_LABELS[AlertFrequency(alert.frequency)],
        "offers": [_offer(runtime, o) for o in listed],
        "total": total,
        "more": max(total - len(listed), 0),
        "unsubscribe_url": link,
        "space_url": runtime.settings.public_url,
    }
    await runtime.mailer.enqueue(
        session,
        to=dossier.email,
        template=TEMPLATE,
        context=context,
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
