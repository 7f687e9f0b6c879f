"""The employer's company, on ``viewer`` (its offers: ``schema.offers.types.company_offers``)."""

from __future__ import annotations

from models.identity import AccountKind
from resolvers.offers.companies import company_of
from schema.core.context import Info
from schema.offers.types import Company


async def viewer_company(info: Info, account_id: int, kind: str) -> Company | None:
    """The employer's company; null until it is saved or a first offer is posted."""
    if kind != AccountKind.EMPLOYEUR:
        return None
    row = await company_of(info.context.read_session(), account_id)
    return Company.from_model(row) if row is not None else None
