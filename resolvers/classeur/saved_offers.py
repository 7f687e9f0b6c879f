"""The classeur: offers a candidat keeps, and the events when one of them changes.

``notify_savers`` writes one dashboard event for every candidat who saved an offer in one
INSERT ... SELECT (not one statement per candidat), in the caller's transaction; each event
is pushed live after the commit, like ``resolvers.dashboard.events.record_event``.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import JSON, Select, String, delete, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from ground.notifications import account_channel, queue_notification
from models.base import BigId, UTCDateTime, utcnow
from models.classeur import SavedOffer
from models.dashboard import Event, EventKind
from models.identity import Account, AccountKind
from models.offers import Offer, OfferStatus
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.owners import owned_by
from resolvers.core.paging import KeysetPage, Window, count_rows, keyset_page

SUBJECT = "offer"
MAX_ID = 2**63 - 1
MAX_SAVED = 500


def require_candidat(account: Account) -> None:
    if account.kind != AccountKind.CANDIDAT:
        raise DomainError.single(
            None, ErrorCode.WRONG_ACCOUNT_KIND, "Seuls les candidats ont un classeur."
        )


async def notify_savers(
    session: AsyncSession,
    offer: Offer,
    kind: EventKind,
    reason: str,
    fields: list[str] | None = None,
) -> int:
    """One event per candidat who saved ``offer``; returns how many."""
    if session.get_bind().dialect.name == "postgresql":
        # As record_event does per event: take each saver's event-log lock (in account
        # order, so that two writers cannot deadlock), all in one statement.
        key = func.concat("events:", SavedOffer.account_id)
        await session.execute(
            select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0)))
            .where(SavedOffer.offer_id == offer.id)
            .order_by(SavedOffer.account_id)
        )
    payload = {"name": offer.intitule, "number": offer.number, "reason": reason}
    if fields:
        payload["fields"] = fields  # type: ignore[assignment]
    columns = select(
        SavedOffer.account_id,
        literal(kind.value, String()),
        literal(utcnow(), UTCDateTime()),
        literal(payload, JSON()),
        literal(SUBJECT, String()),
        literal(offer.id, BigId),
    ).where(SavedOffer.offer_id == offer.id)
    stmt = (
        insert(Event)
        .from_select(
            ["account_id", "kind", "occurred_at", "payload", "subject_type", "subject_id"],
            columns,
        )
        .returning(Event.id, Event.account_id)
    )
    rows = (await session.execute(stmt)).all()
    for event_id, account_id in rows:
        queue_notification(
            session,
            account_channel(account_id),
            {"type": "event", "id": event_id, "kind": kind.value},
        )
    return len(rows)


async def save_offer(session: AsyncSession, account: Account, offer_id: int) -> SavedOffer:
    """Keep a published offer in the classeur (saving it again changes nothing)."""
    require_candidat(account)
    offer = await session.get(Offer, min(offer_id, MAX_ID)) if offer_id > 0 else None
    now = utcnow()
    visible = offer is not None and offer.status == OfferStatus.PUBLISHED.value
    if offer is None or not visible or (offer.expires_at and offer.expires_at <= now):
        raise DomainError.single("offerId", ErrorCode.NOT_FOUND, "Cette offre est introuvable.")
    existing = await session.scalar(
        select(SavedOffer).where(
            SavedOffer.account_id == account.id, SavedOffer.offer_id == offer.id
        )
    )
    if existing is not None:
        return existing
    count = await session.scalar(
        select(SavedOffer.id).where(SavedOffer.account_id == account.id).offset(MAX_SAVED - 1)
    )
    if count is not None:
        raise DomainError.single(
            "offerId", ErrorCode.TOO_LONG, f"Votre classeur garde {MAX_SAVED} offres au plus."
        )
    saved = SavedOffer(account_id=account.id, offer_id=offer.id)
    session.add(saved)
    await session.flush()
    return saved


async def remove_offer(session: AsyncSession, account: Account, offer_id: int) -> None:
    require_candidat(account)
    result = await session.execute(
        delete(SavedOffer).where(
            SavedOffer.account_id == account.id, SavedOffer.offer_id == min(offer_id, MAX_ID)
        )
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        raise DomainError.single(
            "offerId", ErrorCode.NOT_FOUND, "Cette offre n'est pas dans votre classeur."
        )


def classeur_select(account_id: int) -> Select[SavedOffer]:
    return select(SavedOffer).where(owned_by(SavedOffer, account_id))


async def classeur_page(session: AsyncSession, account_id: int, window: Window) -> KeysetPage:
    """Newest first: one page of the classeur."""
    return await keyset_page(session, classeur_select(account_id), SavedOffer.id, True, window)


async def classeur_count(session: AsyncSession, account_id: int) -> int:
    return await count_rows(session, classeur_select(account_id))


async def saved_offer_ids(
    session: AsyncSession, account_id: int, offer_ids: Sequence[int]
) -> set[int]:
    """Which of ``offer_ids`` the account keeps in its classeur."""
    if not offer_ids:
        return set()
    rows = await session.scalars(
        select(SavedOffer.offer_id).where(
            SavedOffer.account_id == account_id, SavedOffer.offer_id.in_(offer_ids)
        )
    )
    return set(rows.all())
