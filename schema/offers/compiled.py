"""How companies map to tables, for the compiled reads (``schema.core.compiled``): the
employer's company as a proposal shows it (its public fields; its offers need the
interpreter)."""

from __future__ import annotations

from sqlalchemy import func

from models.offers import Company
from schema.core.compiled.declare import NodeId, Table, Value

COMPANY = Table(
    Company,
    {
        "id": NodeId(),
        "name": Value(lambda t: t.name),
        "siret": Value(lambda t: t.siret),
        "nafCode": Value(lambda t: t.naf_code),
        "sizeBand": Value(lambda t: func.nullif(t.size_band, "")),
        "description": Value(lambda t: t.description),
    },
    owned=False,  # public, as the interpreter's CompanyByIdLoader shows it to anyone
)

TABLES = {"Company": COMPANY}
