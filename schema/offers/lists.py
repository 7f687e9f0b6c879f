"""Lists of offers outside search: a company's offers, and the employer's company."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from models.identity import AccountKind
from models.offers import OfferStatus
from resolvers.core.paging import Window
from resolvers.offers.companies import company_of
from resolvers.offers.manage import company_offers_count, company_offers_page
from schema.core.context import Info
from schema.core.paging import paged_connection

if TYPE_CHECKING:
    from schema.offers.types import Company, OfferConnection


async def company_offers(
    info: Info, company: Company, asked: Window, statuses: Any
) -> OfferConnection:
    """Its employer sees every offer (or the statuses asked for); others, published ones."""
    from schema.offers.types import Offer, OfferConnection

    viewer = info.context.viewer
    if viewer is not None and viewer.account.id == company.account_id:
        wanted = [OfferStatus(s).value for s in statuses] if statuses else list(OfferStatus)
    else:
        wanted = [OfferStatus.PUBLISHED.value]
    session = info.context.read_session()
    statuses_wanted = [str(s) for s in wanted]
    page = await company_offers_page(session, company.id, statuses_wanted, asked)
    return paged_connection(
        OfferConnection,
        page,
        Offer.from_model,
        key=lambda r: r.id,
        count=lambda: company_offers_count(session, company.id, statuses_wanted),
    )


async def viewer_company(info: Info, account_id: int, kind: str) -> Company | None:
    """The employer's company; null until it is saved or a first offer is posted."""
    from schema.offers.types import Company

    if kind != AccountKind.EMPLOYEUR:
        return None
    row = await company_of(info.context.read_session(), account_id)
    return Company.from_model(row) if row is not None else None
