"""The GraphQL schema: merges every domain's Query, Mutation and Subscription classes."""

from __future__ import annotations

from datetime import datetime
from types import ModuleType

import strawberry
from graphql import NoSchemaIntrospectionCustomRule
from strawberry import relay
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from ground.settings import Settings
from schema.actualisation import compiled as actualisation_compiled
from schema.actualisation import schema as actualisation
from schema.agenda import schema as agenda
from schema.alerts import compiled as alerts_compiled
from schema.alerts import schema as alerts
from schema.applications import compiled as applications_compiled
from schema.applications import schema as applications
from schema.attestations import compiled as attestations_compiled
from schema.attestations import schema as attestations
from schema.bank import schema as bank
from schema.classeur import compiled as classeur_compiled
from schema.core.base import TopLevelErrorCode
from schema.core.compiled.extension import compiled_extension
from schema.core.compiled.reads import CompiledReads
from schema.core.cost import cost_check
from schema.core.input_text import nul_error
from schema.core.limits import limit_rules
from schema.core.observed import EspaceSchema
from schema.core.pipeline import pipeline
from schema.core.response_size import sized_execution_context
from schema.core.scalars import UtcDateTime
from schema.cvs import compiled as cvs_compiled
from schema.cvs import mutations as cv_mutations
from schema.cvs import schema as cvs
from schema.dashboard import compiled as dashboard_compiled
from schema.dashboard import mutations as dashboard_mutations
from schema.dashboard import schema as dashboard
from schema.data_export import schema as data_export
from schema.dossiers import compiled as dossiers_compiled
from schema.dossiers import mutations as dossier_mutations
from schema.dossiers import schema as dossiers
from schema.erasure import schema as erasure
from schema.identity import schema as identity
from schema.indemnisation import compiled as indemnisation_compiled
from schema.indemnisation import schema as indemnisation
from schema.letters import compiled as letters_compiled
from schema.letters import schema as letters
from schema.messages import compiled as messages_compiled
from schema.messages import schema as messages
from schema.offers import compiled as offers_compiled
from schema.offers import schema as offers
from schema.proposals import compiled as proposals_compiled
from schema.proposals import schema as proposals
from schema.rectification import schema as rectification
from schema.reference import schema as reference
from schema.registration import schema as registration
from schema.situation import schema as situation
from schema.viewer import compiled as viewer_compiled
from schema.viewer import schema as viewer

DOMAINS: tuple[ModuleType, ...] = (
    viewer,
    identity,
    dossiers,
    dossier_mutations,
    dashboard,
    dashboard_mutations,
    reference,
    offers,
    cvs,
    cv_mutations,
    alerts,
    applications,
    proposals,
    messages,
    registration,
    actualisation,
    indemnisation,
    bank,
    letters,
    agenda,
    attestations,
    erasure,
    situation,
    rectification,
    data_export,
)


COMPILED_TABLES = {
    **viewer_compiled.TABLES,
    **dossiers_compiled.TABLES,
    **alerts_compiled.TABLES,
    **classeur_compiled.TABLES,
    **cvs_compiled.TABLES,
    **applications_compiled.TABLES,
    **letters_compiled.TABLES,
    **attestations_compiled.TABLES,
    **actualisation_compiled.TABLES,
    **indemnisation_compiled.TABLES,
    **dashboard_compiled.TABLES,
    **proposals_compiled.TABLES,
    **offers_compiled.TABLES,
    **messages_compiled.TABLES,
}
"""The types the compiled reads cover (schema.core.compiled), by GraphQL name."""


def _node_query() -> type:
    # relay.node() is bound to one schema when it is built: make a fresh class each time.
    @strawberry.type(description="Entry points for reading.")
    class NodeQuery:
        node: relay.Node | None = relay.node(
            description=(
                "Fetch any object by its global ID; objects of other accounts are not found."
            )
        )

    return NodeQuery


ROOT_DESCRIPTIONS = {
    "Query": "Everything that can be read.",
    "Mutation": "Everything that can be changed; each mutation commits all of its work or none.",
    "Subscription": "Live updates over WebSocket (graphql-transport-ws).",
}


def _collect(name: str, base: tuple[type, ...] = ()) -> type | None:
    parts = [*base, *(getattr(m, name) for m in DOMAINS if hasattr(m, name))]
    if not parts:
        return None
    merged = merge_types(name, tuple(parts))
    merged.__strawberry_definition__.description = ROOT_DESCRIPTIONS[name]  # type: ignore[attr-defined]
    return merged


def build_schema(settings: Settings) -> strawberry.Schema:
    """Build the schema with the limits and caches the settings ask for."""
    rules = limit_rules(settings.max_depth, settings.max_aliases, settings.max_page_size)
    # Introspection escapes the depth and cost limits (GraphiQL and codegen tools send a
    # 14-level document); graphql-core's MaxIntrospectionDepthRule, one of its specified
    # rules since 3.3, refuses circular introspection instead.
    if not settings.introspection_enabled:
        rules.append(NoSchemaIntrospectionCustomRule)
    cost = cost_check(settings.max_cost, settings.max_page_size)
    extension = pipeline(
        rules,
        settings.max_tokens,
        mask_errors=not settings.debug,
        hide_suggestions=not settings.debug,
        cost=cost,
    )
    query = _collect("Query", (_node_query(),))
    assert query is not None
    reads = CompiledReads(COMPILED_TABLES, viewer_compiled.ROOTS)
    reads.checks = (cost, nul_error)  # what the fast path checks again per request
    built = EspaceSchema(
        query=query,
        mutation=_collect("Mutation"),
        subscription=_collect("Subscription"),
        types=[TopLevelErrorCode],
        scalar_overrides={datetime: UtcDateTime},
        extensions=[extension, compiled_extension(reads)],
        execution_context_class=sized_execution_context(settings.max_response_bytes),
        config=StrawberryConfig(disable_field_suggestions=not settings.debug),
    )
    built.compiled_reads = reads  # type: ignore[attr-defined]  # its counts, for tests and bench
    return built
