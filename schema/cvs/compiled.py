"""How CVs map to tables, for the compiled reads (``schema.core.compiled``): a dossier's CVs
as their owner sees them (``Audience.OWNER``; the owner filter is ``owned_by``)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Text, cast, func, select

from models.cvs import Cv, CvEducation, CvExperience
from resolvers.cvs.fields import completeness
from schema.core.compiled.declare import Computed, Many, NodeId, Table, Value
from schema.cvs.parts import CvCompleteness

# What ``resolvers.cvs.fields.completeness`` reads of a CV, then its two item counts (as
# ``resolvers.cvs.reads`` counts them); JSON lists as their text (hashable post-pass values).
_SCALARS = ("title", "rome_code", "summary", "file_key")
_LISTS = ("skills", "languages", "driving_licences")


def _count(model: Any) -> Any:
    return lambda t: select(func.count()).where(model.cv_id == t.id).scalar_subquery()


def _text(name: str) -> Any:
    return lambda t: cast(getattr(t, name), Text)


def _column(name: str) -> Any:
    return lambda t: getattr(t, name)


def _completeness(_runtime: Any, *values: Any) -> CvCompleteness:
    """The interpreter's computation on a CV rebuilt from the values it reads."""
    scalars = dict(zip(_SCALARS, values[:4], strict=True))
    texts = zip(_LISTS, values[4:7], strict=True)
    lists = {n: json.loads(v) if v is not None else [] for n, v in texts}
    score, missing = completeness(Cv(**scalars, **lists), values[7], values[8])
    return CvCompleteness(score=score, missing=missing)


COMPLETENESS_ARGS: tuple[Any, ...] = (
    *(_column(n) for n in _SCALARS),
    *(_text(n) for n in _LISTS),
    _count(CvExperience),
    _count(CvEducation),
)

CV = Table(
    Cv,
    {
        "id": NodeId(),
        "title": Value(lambda t: t.title),
        "visibility": Value(lambda t: t.visibility),
        "summary": Value(lambda t: t.summary),
        "publishedAt": Value(lambda t: t.published_at),
        "createdAt": Value(lambda t: t.created_at),
        "updatedAt": Value(lambda t: t.updated_at),
        "completeness": Computed(COMPLETENESS_ARGS, _completeness),
    },
)

DOSSIER_CVS = Many("Cv", key=lambda c: c.id, link=lambda c, d: c.dossier_id == d.id)
"""``Dossier.cvs``, oldest first."""

TABLES = {"Cv": CV}
