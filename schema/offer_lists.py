"""Lists of offers outside search: a company's offers, and the employer's company."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from models.identity import AccountKind
from models.offers import OfferStatus
from resolvers.companies import company_of
from resolvers.offers import company_offers_page
from schema.base import build_connection, decode_cursor, page_size
from schema.context import Info

if TYPE_CHECKING:
    from schema.offer_types import Company, OfferConnection


async def company_offers(
    info: Info, company: Company, first: int | None, after: str | None, statuses: Any
) -> OfferConnection:
    """Its employer sees every offer (or the statuses asked for); others, published ones."""
    from schema.offer_types import Offer, OfferConnection

    size = page_size(info, first)
    before = decode_cursor(after)
    viewer = info.context.viewer
    if viewer is not None and viewer.account.id == company.account_id:
        wanted = [OfferStatus(s).value for s in statuses] if statuses else list(OfferStatus)
    else:
        wanted = [OfferStatus.PUBLISHED.value]
    rows, has_next = await company_offers_page(
        info.context.read_session(), company.id, [str(s) for s in wanted], before, size
    )
    return build_connection(
        OfferConnection,
        rows,
        has_next,
        Offer.from_model,
        key=lambda r: r.id,
        has_previous=before is not None,
    )


async def viewer_company(info: Info, account_id: int, kind: str) -> Company | None:
    """The employer's company; null until it is saved or a first offer is posted."""
    from schema.offer_types import Company

    if kind != AccountKind.EMPLOYEUR:
        return None
    row = await company_of(info.context.read_session(), account_id)
    return Company.from_model(row) if row is not None else None
