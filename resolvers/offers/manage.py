"""Employers' offers: create, update, publish, pause, close; numbers; who sees what.

State machine: DRAFT -> PUBLISHED <-> PAUSED -> CLOSED (other moves: INVALID_TRANSITION).
An employer sees and changes only its own offers (another's is "not found"); everyone else
sees published offers that have not expired. When an offer in someone's classeur changes or
closes, each of those candidats gets a dashboard event, in the same transaction.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.dashboard import EventKind
from models.identity import Account
from models.offers import LOCAL_ORIGIN, Offer, OfferStatus
from refdata import ReferenceData
from resolvers.classeur.saved_offers import notify_savers
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.core.paging import KeysetPage, Window, count_rows, keyset_page
from resolvers.offers.companies import ensure_company, require_employer
from resolvers.offers.form import check_offer
from resolvers.offers.input import INPUT_FIELDS, OfferInput
from resolvers.offers.update import input_from_row, merge_update

MAX_ID = 2**63 - 1
STATUS_LABELS = {
    OfferStatus.DRAFT: "en brouillon",
    OfferStatus.PUBLISHED: "publiée",
    OfferStatus.PAUSED: "suspendue",
    OfferStatus.CLOSED: "clôturée",
}
# action -> (statuses it starts from, status it leads to, French verb)
TRANSITIONS = {
    "publish": (
        frozenset({OfferStatus.DRAFT, OfferStatus.PAUSED}),
        OfferStatus.PUBLISHED,
        "publier",
    ),
    "pause": (frozenset({OfferStatus.PUBLISHED}), OfferStatus.PAUSED, "suspendre"),
    "close": (
        frozenset({OfferStatus.PUBLISHED, OfferStatus.PAUSED}),
        OfferStatus.CLOSED,
        "clôturer",
    ),
}


def new_number() -> str:
    """A public offer number: 3 digits and 4 letters, e.g. 048KLTP."""
    digits = "".join(secrets.choice(string.digits) for _ in range(3))
    return digits + "".join(secrets.choice(string.ascii_uppercase) for _ in range(4))


async def free_number(session: AsyncSession) -> str:
    """A number no offer has (collisions are rare: 457 million numbers)."""
    for _ in range(10):
        number = new_number()
        taken = await session.scalar(select(Offer.id).where(Offer.number == number))
        if taken is None:
            return number
    raise DomainError.single(None, ErrorCode.INTERNAL, "Réessayez dans un instant.")


def is_sqlite(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def visible_to(offer: Offer, account_id: int | None, now: datetime) -> bool:
    """The employer sees its own offers; everyone sees published ones until they expire."""
    if offer.account_id is not None and offer.account_id == account_id:
        return True
    return offer.status == OfferStatus.PUBLISHED and (
        offer.expires_at is None or offer.expires_at > now
    )


def not_found(field: str | None = "id") -> DomainError:
    return DomainError.single(field, ErrorCode.NOT_FOUND, "Cette offre est introuvable.")


async def owned_offer(
    session: AsyncSession, account_id: int, offer_id: int, for_update: bool = False
) -> Offer:
    stmt = select(Offer).where(Offer.id == min(offer_id, MAX_ID), Offer.account_id == account_id)
    if for_update:
        stmt = stmt.with_for_update()
    offer = await session.scalar(stmt)
    if offer is None:
        raise not_found()
    return offer


async def create_offer(
    session: AsyncSession, ref: ReferenceData, account: Account, data: OfferInput
) -> Offer:
    """A new draft offer of the employer's company (created on first use)."""
    require_employer(account)
    errors = ErrorCollector()
    now = utcnow()
    values = check_offer(ref, errors, data, now.date())
    errors.raise_if_any()
    assert values is not None
    company = await ensure_company(session, account)
    number = await free_number(session)
    offer = Offer(
        number=number,
        origin=LOCAL_ORIGIN,
        origin_number=number,
        status=OfferStatus.DRAFT.value,
        account_id=account.id,
        company_id=company.id,
        created_at=now,
        updated_at=now,
    )
    values.apply(offer, is_sqlite(session))
    session.add(offer)
    await session.flush()
    return offer


async def update_offer(
    session: AsyncSession,
    ref: ReferenceData,
    account: Account,
    offer_id: int,
    changes: dict[str, Any],
) -> Offer:
    """Change the given fields; the whole offer is checked again. Candidats who saved it
    are told when a published (or paused) offer changes."""
    require_employer(account)
    assert set(changes) <= INPUT_FIELDS, changes
    offer = await owned_offer(session, account.id, offer_id, for_update=True)
    if offer.status == OfferStatus.CLOSED:
        raise DomainError.single(
            "id", ErrorCode.OFFER_CLOSED, "Une offre clôturée ne peut plus être modifiée."
        )
    errors = ErrorCollector()
    now = utcnow()
    values = check_offer(ref, errors, merge_update(input_from_row(offer), changes), now.date())
    errors.raise_if_any()
    assert values is not None
    changed = [k for k, v in values.as_columns().items() if getattr(offer, k) != v]
    if not changed:
        return offer
    values.apply(offer, is_sqlite(session))
    offer.updated_at = now
    await session.flush()
    if offer.status != OfferStatus.DRAFT:
        await notify_savers(
            session, offer, EventKind.SAVED_OFFER_CHANGED, "updated", sorted(changed)
        )
    return offer


async def change_status(
    session: AsyncSession, account: Account, offer_id: int, action: str
) -> Offer:
    """publish, pause or close one of the employer's offers."""
    require_employer(account)
    offer = await owned_offer(session, account.id, offer_id, for_update=True)
    sources, target, verb = TRANSITIONS[action]
    current = OfferStatus(offer.status)
    if current not in sources:
        raise DomainError.single(
            "id",
            ErrorCode.INVALID_TRANSITION,
            f"Impossible de {verb} une offre {STATUS_LABELS[current]}.",
        )
    now = utcnow()
    if target == OfferStatus.PUBLISHED and offer.expires_at is not None and offer.expires_at <= now:
        raise DomainError.single(
            "expiresOn", ErrorCode.OUT_OF_RANGE, "La date limite de l'offre est passée."
        )
    offer.status = target.value
    offer.updated_at = now
    if target == OfferStatus.PUBLISHED and offer.published_at is None:
        offer.published_at = now
    if target == OfferStatus.CLOSED:
        offer.closed_at = now
        await session.flush()
        await notify_savers(session, offer, EventKind.SAVED_OFFER_CLOSED, "closed")
        return offer
    await session.flush()
    if current != OfferStatus.DRAFT:
        reason = "paused" if target == OfferStatus.PAUSED else "resumed"
        await notify_savers(session, offer, EventKind.SAVED_OFFER_CHANGED, reason)
    return offer


async def expire_offers(session: AsyncSession, now: datetime) -> int:
    """Close the offers whose date limite has passed, telling those who saved them."""
    expired = (
        await session.scalars(
            select(Offer)
            .where(
                Offer.status.in_([OfferStatus.PUBLISHED.value, OfferStatus.PAUSED.value]),
                Offer.expires_at <= now,
            )
            .with_for_update()
        )
    ).all()
    if not expired:
        return 0
    await session.execute(
        update(Offer)
        .where(Offer.id.in_([o.id for o in expired]))
        .values(status=OfferStatus.CLOSED.value, closed_at=now, updated_at=now)
    )
    for offer in expired:
        await notify_savers(session, offer, EventKind.SAVED_OFFER_CLOSED, "expired")
    return len(expired)


async def offer_by_number(session: AsyncSession, number: str) -> Offer | None:
    found: Offer | None = await session.scalar(
        select(Offer).where(Offer.number == number.strip().upper()[:7])
    )
    return found


async def offers_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Offer]:
    wanted = [i for i in ids if 0 < i <= MAX_ID]
    if not wanted:
        return {}
    rows = (await session.scalars(select(Offer).where(Offer.id.in_(wanted)))).all()
    return {o.id: o for o in rows}


def company_offers_select(company_id: int, statuses: Sequence[str]) -> Select[Offer]:
    return select(Offer).where(Offer.company_id == company_id, Offer.status.in_(statuses))


async def company_offers_page(
    session: AsyncSession, company_id: int, statuses: Sequence[str], window: Window
) -> KeysetPage:
    """Newest first: one page of a company's offers in ``statuses``."""
    stmt = company_offers_select(company_id, statuses)
    return await keyset_page(session, stmt, Offer.id, True, window)


async def company_offers_count(
    session: AsyncSession, company_id: int, statuses: Sequence[str]
) -> int:
    return await count_rows(session, company_offers_select(company_id, statuses))
