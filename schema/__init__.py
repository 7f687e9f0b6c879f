"""The GraphQL schema: merges every domain's Query, Mutation and Subscription classes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from espace.settings import Settings
from schema import dashboard, dossiers, identity, reference, viewer
from schema.limits import limit_rules

DOMAINS: tuple[ModuleType, ...] = (viewer, identity, dossiers, dashboard, reference)


class CloseRequestSession(SchemaExtension):
    """Closes the request's lazy read session once the operation is done."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        if hasattr(context, "close"):
            await context.close()


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


INTERNAL_MESSAGE = "Erreur interne du serveur."


def _unexpected(error: GraphQLError) -> bool:
    """Mask the details of bugs; errors raised on purpose keep their message and code."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


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
    rules = limit_rules(
        settings.max_depth, settings.max_aliases, settings.max_cost, settings.max_page_size
    )
    extensions: list[Any] = [
        CloseRequestSession,
        lambda: ParserCache(maxsize=1000),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ValidationCache(maxsize=1000),
        lambda: AddValidationRules(rules),
    ]
    if not settings.debug:
        extensions.append(
            lambda: MaskErrors(should_mask_error=_unexpected, error_message=INTERNAL_MESSAGE)
        )
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    query = _collect("Query", (_node_query(),))
    assert query is not None
    return strawberry.Schema(
        query=query,
        mutation=_collect("Mutation"),
        subscription=_collect("Subscription"),
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=not settings.debug),
    )
