"""``offerSearch``: the criteria input, the result connection (total, facets, explanations,
relaxations) and ``run_search``, shared with saved searches.

Errors: criteria that do not hold (unknown ROME code, commune or département, a distance
without a commune, a negative salary, …) come back in the connection's ``userErrors``, all
at once, with stable codes, and no results. A page size over the limit (BAD_PAGE_SIZE) or a
bad cursor (BAD_CURSOR) are GraphQL errors, as for every connection; so are contract codes
outside the ``TypeContrat`` enum (GRAPHQL_VALIDATION_FAILED or BAD_USER_INPUT).
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import relay

from models.base import utcnow
from resolvers.core.errors import DomainError, ErrorCode, FieldError
from resolvers.core.paging import Window
from resolvers.dossiers.fields import QUALIFICATION_LABELS, Qualification
from resolvers.offers import fields as f
from resolvers.offers.criteria import OfferCriteria, check_criteria
from resolvers.offers.explain import MatchExplanation, MatchField, explain
from resolvers.offers.reference import offer_reference
from resolvers.offers.results import Facets, OfferSort, RelaxationKind, SearchResult
from resolvers.offers.search import MAX_WINDOW, search_offers
from schema.core.base import (
    UserError,
    described_enum,
    encode_cursor,
    user_errors,
)
from schema.core.context import Info
from schema.core.runner import refusable
from schema.dossiers.enums import QualificationEnum
from schema.offers.criteria import OfferCriteriaView, OfferSearchCriteria
from schema.offers.enums import TypeContratEnum
from schema.offers.types import Offer

__all__ = ["OfferCriteriaView", "OfferSearchCriteria"]

OfferSortEnum = described_enum(
    OfferSort,
    "OfferSort",
    "How results are ordered.",
    {
        OfferSort.RELEVANCE: "Best keyword matches first (newest first without keywords).",
        OfferSort.DATE: "Newest publications first.",
        OfferSort.DISTANCE: "Nearest to the commune first (needs communeInsee).",
    },
)
MatchFieldEnum = described_enum(
    MatchField,
    "MatchField",
    "Where a keyword was found.",
    {
        MatchField.TITLE: "The intitulé.",
        MatchField.METIER: "The ROME métier or appellation labels.",
        MatchField.DESCRIPTION: "The description, skills, languages or training.",
    },
)
RelaxationKindEnum = described_enum(
    RelaxationKind,
    "RelaxationKind",
    "A criterion that can be relaxed.",
    {
        RelaxationKind.DISTANCE: "Twice the distance.",
        RelaxationKind.CONTRACT: "Every type and nature of contract.",
        RelaxationKind.EXPERIENCE: "Any experience.",
        RelaxationKind.SALARY: "No minimum salary.",
        RelaxationKind.PUBLISHED_SINCE: "Any publication date.",
    },
)


@strawberry.type(description="Where one keyword was found.")
class KeywordMatch:
    keyword: str = strawberry.field(description="The keyword (normalised).")
    fields: list[MatchFieldEnum] = strawberry.field(description="Where it was found.")  # type: ignore[valid-type]


@strawberry.type(description="Why an offer matches the criteria.")
class OfferMatch:
    keywords: list[KeywordMatch] = strawberry.field(description="Keywords found, and where.")
    metier: str | None = strawberry.field(description="The métier, when it was asked for.")
    distance_km: float | None = strawberry.field(description="Distance from the commune.")
    type_contrat: TypeContratEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="When contracts were asked."
    )
    qualification: QualificationEnum | None = strawberry.field(description="When asked for.")  # type: ignore[valid-type]
    salary: str | None = strawberry.field(description="The salary, when a minimum was asked.")
    reasons: list[str] = strawberry.field(description="The same, as French sentences.")

    @classmethod
    def from_data(cls, m: MatchExplanation) -> OfferMatch:
        return cls(
            keywords=[
                KeywordMatch(keyword=k.keyword, fields=[MatchField(x) for x in k.fields])
                for k in m.keywords
            ],
            metier=m.metier,
            distance_km=m.distance_km,
            type_contrat=f.TypeContrat(m.contract) if m.contract else None,
            qualification=Qualification(m.qualification) if m.qualification else None,
            salary=m.salary,
            reasons=m.reasons,
        )


@strawberry.type(description="One search result.")
class OfferSearchEdge(relay.Edge[Offer]):
    match: OfferMatch = strawberry.field(description="Why this offer matches.")


@strawberry.type(description="How many results have one value (FT v2's filtresPossibles).")
class FacetCount:
    value: str = strawberry.field(description="The code (CDI, D, 6, 22…).")
    label: str = strawberry.field(description="Its label.")
    count: int = strawberry.field(description="How many results have it.")


@strawberry.type(description="Counts of the results per value, to refine the search.")
class OfferFacets:
    type_contrat: list[FacetCount] = strawberry.field(description="Per type de contrat.")
    experience: list[FacetCount] = strawberry.field(description="Per expérience (D, S, E).")
    qualification: list[FacetCount] = strawberry.field(description="Per qualification.")
    departement: list[FacetCount] = strawberry.field(description="Per département.")


@strawberry.type(description="A criterion to relax when there are few results.")
class Relaxation:
    kind: RelaxationKindEnum = strawberry.field(description="Which criterion.")  # type: ignore[valid-type]
    label: str = strawberry.field(description="What changes, e.g. « 30 km ».")
    added_count: int = strawberry.field(description="How many more offers it gives.")
    message: str = strawberry.field(description="« 30 km : +42 offres ».")
    criteria: OfferCriteriaView = strawberry.field(description="The relaxed criteria.")


@strawberry.type(description="A page of search results, with their total and facets.")
class OfferSearchConnection(relay.Connection[Offer]):
    edges: list[OfferSearchEdge] = strawberry.field(  # type: ignore[assignment]
        description="The results of this page."
    )
    total_count: int = strawberry.field(description="How many offers match in all.")
    facets: OfferFacets = strawberry.field(description="Counts per value of the results.")
    relaxations: list[Relaxation] = strawberry.field(
        description="With fewer than 10 results: criteria to relax, and what each adds."
    )
    criteria: OfferCriteriaView | None = strawberry.field(
        description="The criteria applied (null when refused)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Problems with the criteria (then there are no results)."
    )


def _facets(info: Info, facets: Facets) -> OfferFacets:
    lookups = offer_reference(info.context.runtime.refdata)

    def counts(items: Any, label: Any) -> list[FacetCount]:
        return [FacetCount(value=i.value, label=label(i.value), count=i.count) for i in items]

    return OfferFacets(
        type_contrat=counts(facets.type_contrat, lambda v: f.TYPE_CONTRAT_LABELS[f.TypeContrat(v)]),
        experience=counts(facets.experience, lambda v: f.EXPERIENCE_LABELS[f.ExperienceExige(v)]),
        qualification=counts(
            facets.qualification, lambda v: QUALIFICATION_LABELS[Qualification(int(v))]
        ),
        departement=counts(facets.departement, lambda v: lookups.departement_name(v) or v),
    )


def refused(errors: list[FieldError]) -> OfferSearchConnection:
    """An empty result with the errors (criteria that do not hold)."""
    return _nothing_found(user_errors(errors))


def _nothing_found(errors: list[UserError]) -> OfferSearchConnection:
    empty = OfferFacets(type_contrat=[], experience=[], qualification=[], departement=[])
    return OfferSearchConnection(
        edges=[],
        page_info=relay.PageInfo(
            has_next_page=False, has_previous_page=False, start_cursor=None, end_cursor=None
        ),
        total_count=0,
        facets=empty,
        relaxations=[],
        criteria=None,
        user_errors=errors,
    )


async def run_search(
    info: Info,
    criteria: OfferCriteria,
    asked: Window,
    sort: OfferSort,
    prefix: str = "",
) -> OfferSearchConnection:
    """Check the criteria, search, and build the connection (offset cursors: a cursor is
    a 1-based position in the results)."""
    ref = info.context.runtime.refdata

    async def check() -> OfferCriteria:
        checked = check_criteria(ref, criteria, prefix)
        if sort == OfferSort.DISTANCE and checked.commune_insee is None:
            raise DomainError.single(
                "sort",
                ErrorCode.DISTANCE_WITHOUT_COMMUNE,
                "Le tri par distance demande une commune.",
            )
        return checked

    return await refusable(
        OfferSearchConnection, check, lambda c: _search(info, c, asked, sort), _nothing_found
    )


async def _search(
    info: Info, checked: OfferCriteria, asked: Window, sort: OfferSort
) -> OfferSearchConnection:
    """One page of the published offers matching checked criteria, with facets."""
    ref = info.context.runtime.refdata
    session = info.context.read_session()
    offset = asked.after or 0
    size = asked.limit
    if asked.before is not None or asked.from_end:
        if asked.before is not None:
            end = asked.before - 1
        else:  # `last` alone: the end of what can be paged through, which takes a count
            counted = await search_offers(
                session, ref, checked, sort=sort, offset=0, limit=0, now=utcnow()
            )
            end = min(counted.total, MAX_WINDOW)
        if asked.from_end:
            offset = max(offset, end - size)
        size = max(0, min(size, end - offset))
    result: SearchResult = await search_offers(
        session, ref, checked, sort=sort, offset=offset, limit=size, now=utcnow()
    )
    has_next = asked.before is not None if asked.from_end else result.has_next
    edges = [
        OfferSearchEdge(
            cursor=encode_cursor(offset + index + 1),
            node=Offer.from_model(hit.offer),
            match=OfferMatch.from_data(explain(ref, checked, hit.offer, hit.distance_km)),
        )
        for index, hit in enumerate(result.hits)
    ]
    return OfferSearchConnection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=has_next,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=result.total,
        facets=_facets(info, result.facets),
        relaxations=[
            Relaxation(
                kind=RelaxationKind(r.kind),
                label=r.label,
                added_count=r.added,
                message=r.message,
                criteria=OfferCriteriaView.from_data(r.criteria),
            )
            for r in result.relaxations
        ],
        criteria=OfferCriteriaView.from_data(checked),
        user_errors=[],
    )
