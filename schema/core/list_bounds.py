"""The real upper bound of every plain (non-connection) list field, for cost analysis.

A connection's page is counted where it is asked for (``first``, or the default page size
when omitted), so its ``edges`` count once. Every other list field declares here how many
items it can return at most; a list of enum values returns each value at most once. A test
(tests/hardening/test_limits_cost.py) fails when a list field of the schema has no bound.
"""

from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLField, GraphQLList, GraphQLNonNull

from resolvers.actualisation.answers import MAX_EMPLOYERS
from resolvers.actualisation.submit import MAX_VERSIONS_SHOWN
from resolvers.attestations.sources import HOLDER_ROWS, MAX_PERIODS
from resolvers.cvs.form import MAX_EDUCATIONS, MAX_EXPERIENCES, MAX_LANGUAGES, MAX_SKILLS
from resolvers.dossiers.fields import Qualification
from resolvers.messages.files import MAX_ATTACHMENTS
from resolvers.offers.criteria import MAX_CODES
from resolvers.offers.fields import ExperienceExige, TypeContrat
from resolvers.offers.form import LIST_LIMITS
from resolvers.offers.text import MAX_KEYWORDS
from resolvers.registration.manage import MAX_HISTORY

DEFAULT_PAGE_SIZE = 20
"""The page size of a connection asked for without ``first`` (capped by the maximum)."""

USER_ERRORS_BOUND = 30
"""At most one error per input field, and no input has more than 30 fields."""

LIST_BOUNDS: dict[str, int] = {
    "Cv.skills": MAX_SKILLS,
    "Cv.experiences": MAX_EXPERIENCES,
    "Cv.educations": MAX_EDUCATIONS,
    "Cv.languages": MAX_LANGUAGES,
    "Message.attachments": MAX_ATTACHMENTS,
    "Offer.formations": LIST_LIMITS["formations"],
    "Offer.permis": LIST_LIMITS["permis"],
    "Offer.langues": LIST_LIMITS["langues"],
    "Offer.competences": LIST_LIMITS["competences"],
    "OfferCriteriaView.romeCodes": MAX_CODES,
    "OfferCriteriaView.departements": MAX_CODES,
    "OfferMatch.keywords": MAX_KEYWORDS,
    "OfferMatch.reasons": MAX_KEYWORDS + 2,  # one per keyword, the métier, the distance
    "OfferFacets.typeContrat": len(TypeContrat),  # one count per value
    "OfferFacets.experience": len(ExperienceExige),
    "OfferFacets.qualification": len(Qualification),
    "OfferFacets.departement": 110,  # the départements of France (101) and a margin
    "OfferSearchConnection.relaxations": 5,  # resolvers.offers.search.relaxed_variants
    "Dashboard.actions": 150,  # three per dossier at most, over the first 50 dossiers
    "DossierChangeImpacts.impacts": 10,  # e-mail and phone impacts per service
    "Application.history": 12,  # each status change of an application
    "Query.communes": 50,
    "RectifiedIdentity.changedFields": 3,  # civilite, nom, prenom
    "Registration.history": MAX_HISTORY,
    "Actualisation.versions": MAX_VERSIONS_SHOWN,
    "ActualisationAnswers.employers": MAX_EMPLOYERS,
    "Attestation.facts": HOLDER_ROWS
    + MAX_PERIODS
    + 4,  # the longest kind: paid periods  # the most communes one postal code serves is 46
}


def list_bound(parent: str, name: str, field: GraphQLField) -> int | None:
    """How many items the list field ``parent.name`` returns at most (None: not a list or
    no bound declared). Connection edges count 1: their page is counted on the connection."""
    of_type = field.type
    while isinstance(of_type, GraphQLNonNull):
        of_type = of_type.of_type
    if not isinstance(of_type, GraphQLList):
        return None
    if name == "edges" and parent.endswith("Connection"):
        return 1
    if name == "userErrors":
        return USER_ERRORS_BOUND
    key = f"{parent}.{name}"
    if key in LIST_BOUNDS:
        return LIST_BOUNDS[key]
    item = of_type.of_type
    while isinstance(item, (GraphQLNonNull, GraphQLList)):
        item = item.of_type
    if isinstance(item, GraphQLEnumType):
        return len(item.values)
    return None
