"""Import and export of offers in France Travail's "Offres d'emploi v2" JSON.

Import: records are checked one by one (a bad one is reported, the others go on), stored by
batches of ``BATCH`` in one transaction each, and deduplicated by (origin, number): a known
offer is updated when its content changed (candidats who saved it are told), else left
alone. Offers posted here by an employer are never overwritten by an import.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.dashboard import EventKind
from models.offers import Company, Offer, OfferStatus
from refdata import ReferenceData
from resolvers.classeur.saved_offers import notify_savers
from resolvers.core.unit_of_work import UnitOfWork
from resolvers.offers.form import search_stems
from resolvers.offers.ftv2 import Parsed, parse_record
from resolvers.offers.ftv2_export import to_record
from resolvers.offers.manage import is_sqlite, new_number

BATCH = 200
_NUMBER = re.compile(r"[0-9]{3}[A-Z]{4}")


@dataclass(frozen=True, slots=True)
class Rejected:
    index: int  # 1-based position in the file
    record_id: str | None
    reasons: list[str]


@dataclass
class ImportSummary:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # the same offer again in the file: the last one counts
    rejected: list[Rejected] = field(default_factory=list)


def records_of(data: Any) -> list[Any]:
    """The offers of a ``/offres/search`` answer (its ``resultats``) or of a plain list."""
    if isinstance(data, dict) and isinstance(data.get("resultats"), list):
        return list(data["resultats"])
    if isinstance(data, list):
        return data
    raise ValueError("un objet avec « resultats » ou une liste d'offres est attendu")


async def import_offers(
    work: UnitOfWork,
    ref: ReferenceData,
    records: Sequence[Any],
    *,
    default_origin: str = "FT",
    progress: Callable[[int, int], None] | None = None,
    on_published: Callable[[AsyncSession, Offer], Awaitable[object]] | None = None,
) -> ImportSummary:
    """Import FT v2 records by batches (one transaction each); ``on_published`` runs for
    every created or changed offer in its batch's transaction (alert matching)."""
    summary = ImportSummary(total=len(records))
    today = utcnow().date()
    for start in range(0, len(records), BATCH):
        parsed: list[Parsed] = []
        for index, record in enumerate(records[start : start + BATCH], start=start + 1):
            found, reasons = parse_record(ref, record, default_origin, today)
            if found is None:
                raw_id = record.get("id") if isinstance(record, dict) else None
                summary.rejected.append(Rejected(index, str(raw_id) if raw_id else None, reasons))
            else:
                parsed.append(found)
        if parsed:
            async with work.write() as session:
                touched = await _store(session, parsed, summary)
                if on_published is not None:
                    for offer in touched:
                        await on_published(session, offer)
        if progress is not None:
            progress(min(start + BATCH, len(records)), len(records))
    return summary


def _columns(item: Parsed) -> dict[str, Any]:
    columns = item.values.as_columns()
    columns["employer_name"] = item.extra["employer_name"]
    columns["employer_info"] = item.extra["employer_info"]
    return columns


async def _store(session: AsyncSession, batch: list[Parsed], summary: ImportSummary) -> list[Offer]:
    latest = {(p.origin, p.origin_number): p for p in batch}  # the last of duplicates wins
    keys = list(latest)
    existing = {
        (o.origin, o.origin_number): o
        for o in (
            await session.scalars(
                select(Offer).where(tuple_(Offer.origin, Offer.origin_number).in_(keys))
            )
        ).all()
    }
    summary.duplicates += len(batch) - len(latest)
    wanted = [p.origin_number for p in latest.values() if _NUMBER.fullmatch(p.origin_number)]
    taken = set((await session.scalars(select(Offer.number).where(Offer.number.in_(wanted)))).all())
    sqlite = is_sqlite(session)
    now = utcnow()
    touched: list[Offer] = []
    for key, item in latest.items():
        columns = _columns(item)
        offer = existing.get(key)
        if offer is not None:
            changed = [k for k, v in columns.items() if getattr(offer, k) != v]
            if offer.account_id is not None or not changed:
                summary.unchanged += 1
                continue
            for name, value in columns.items():
                setattr(offer, name, value)
            offer.search_title, offer.search_body = search_stems(columns, sqlite)
            offer.updated_at = item.extra["updated_at"] or now
            await session.flush()
            await notify_savers(
                session, offer, EventKind.SAVED_OFFER_CHANGED, "updated", sorted(changed)
            )
            summary.updated += 1
            touched.append(offer)
            continue
        number = item.origin_number
        if not _NUMBER.fullmatch(number) or number in taken:
            number = await _free_number(session, taken)
        taken.add(number)
        offer = Offer(
            number=number,
            origin=item.origin,
            origin_number=item.origin_number,
            status=OfferStatus.PUBLISHED.value,
            created_at=item.extra["created_at"] or now,
            updated_at=item.extra["updated_at"] or now,
            published_at=item.extra["published_at"] or now,
            **columns,
        )
        offer.search_title, offer.search_body = search_stems(columns, sqlite)
        session.add(offer)
        summary.created += 1
        touched.append(offer)
    await session.flush()
    return touched


async def _free_number(session: AsyncSession, taken: set[str]) -> str:
    while True:
        number = new_number()
        if number in taken:
            continue
        if await session.scalar(select(Offer.id).where(Offer.number == number)) is None:
            return number


async def export_records(
    session: AsyncSession, origin_url: Callable[[str], str], chunk: int = 1000
) -> AsyncIterator[dict[str, Any]]:
    """Every published offer as an FT v2 record, oldest first, read by chunks."""
    after = 0
    while True:
        rows = (
            await session.scalars(
                select(Offer)
                .where(Offer.status == OfferStatus.PUBLISHED.value, Offer.id > after)
                .order_by(Offer.id)
                .limit(chunk)
            )
        ).all()
        if not rows:
            return
        company_ids = {o.company_id for o in rows if o.company_id is not None}
        companies = {
            c.id: c
            for c in (
                await session.scalars(select(Company).where(Company.id.in_(company_ids)))
            ).all()
        }
        for offer in rows:
            company = companies.get(offer.company_id) if offer.company_id else None
            yield to_record(offer, company, origin_url(offer.number))
        after = rows[-1].id
