"""Document measures and limits: depth, aliases and cost, with stable codes.

Depth and aliases are checked by a validation rule, built once per schema, so the validation
cache (keyed by the rule classes) serves every request; the cost, which depends on the
variables, is checked per request (``schema.core.cost``). Each field costs 1. A connection field
multiplies the cost of its ``edges`` (and ``nodes``) by its page size: the literal
``first``/``last``, the variable's value, or the default page size the server uses when it
is omitted. A plain list multiplies its selection by its real upper bound
(``schema.core.list_bounds``).

The analysis is linear in the size of the document: each fragment is measured once, and
every spread of it reuses that measure (a fragment "bomb" that spreads the previous fragment
twice, forty levels deep, is measured in forty steps). Introspection (``__schema``,
``__type`` and everything under them) counts neither depth nor cost: graphql-core's
``MaxIntrospectionDepthRule`` guards it instead."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    VariableNode,
)

from schema.core.error_codes import ApiErrorCode
from schema.core.list_bounds import DEFAULT_PAGE_SIZE, list_bound

INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})
PAGE_ARGUMENTS = ("first", "last")


@dataclass(frozen=True)
class Measure:
    depth: int
    aliases: int
    cost: int
    paged: int = 0  # the part of the cost a connection's page multiplies (edges, nodes)


ZERO = Measure(0, 0, 0)
PAGED_FIELDS = frozenset({"edges", "nodes"})


@dataclass
class Analysis:
    """Measures the selections of one document; each fragment is measured once."""

    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    max_page: int
    variables: Mapping[str, Any] | None = None  # None: page sizes from variables unknown
    measured: dict[tuple[str, bool], Measure] = field(default_factory=dict)
    fragment_visits: int = 0
    _open: set[str] = field(default_factory=set)

    @property
    def default_page(self) -> int:
        return min(DEFAULT_PAGE_SIZE, self.max_page)

    def selection_set(
        self,
        node: SelectionSetNode | None,
        parent: GraphQLNamedType | None,
        meta: bool = False,
    ) -> Measure:
        """Depth, alias count and cost of a selection set on ``parent``."""
        if node is None:
            return ZERO
        depth = aliases = cost = paged = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                inner = self.field(selection, parent, meta)
                depth = max(depth, inner.depth)
                aliases += inner.aliases
                cost += inner.cost
                paged += inner.paged
                continue
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                inner = self.selection_set(selection.selection_set, on, meta)
            elif isinstance(selection, FragmentSpreadNode):
                inner = self.fragment(selection.name.value, meta)
            else:  # pragma: no cover - no other selection kinds exist
                continue
            depth = max(depth, inner.depth)
            aliases += inner.aliases
            cost += inner.cost
            paged += inner.paged
        return Measure(depth, aliases, cost, paged)

    def fragment(self, name: str, meta: bool) -> Measure:
        """A fragment's measure, computed on its first spread and reused afterwards."""
        key = (name, meta)
        found = self.measured.get(key)
        if found is not None:
            return found
        definition = self.fragments.get(name)
        if definition is None or name in self._open:
            return ZERO  # unknown or cyclic: validation reports it
        self.fragment_visits += 1
        self._open.add(name)
        try:
            on = self.schema.get_type(definition.type_condition.name.value)
            result = self.selection_set(definition.selection_set, on, meta)
        finally:
            self._open.discard(name)
        self.measured[key] = result
        return result

    def field(self, node: FieldNode, parent: GraphQLNamedType | None, meta: bool) -> Measure:
        name = node.name.value
        alias = 1 if node.alias else 0
        if name == "__typename":
            return Measure(0, alias, 0 if meta else 1)
        inside = meta or name in INTROSPECTION_ROOTS
        definition = None
        if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            definition = parent.fields.get(name)
        named = _named(definition.type) if definition is not None else None
        inner = self.selection_set(node.selection_set, named, inside)
        if inside:
            return Measure(0, alias + inner.aliases, 1 if not meta else 0)
        depth, aliases = 1 + inner.depth, alias + inner.aliases
        if definition is not None and any(a in definition.args for a in PAGE_ARGUMENTS):
            # A connection: its page multiplies its edges (and nodes), not its totals,
            # facets or page info.
            page = self._page(node)
            return Measure(depth, aliases, 1 + inner.cost + page * inner.paged)
        times = self._times(node, parent, definition)
        cost = 1 + times * (inner.cost + inner.paged)
        if name in PAGED_FIELDS and parent is not None and parent.name.endswith("Connection"):
            return Measure(depth, aliases, 0, cost)
        return Measure(depth, aliases, cost)

    def _page(self, node: FieldNode) -> int:
        """The page size a connection field is asked for, at most."""
        for arg in node.arguments or ():
            if arg.name.value not in PAGE_ARGUMENTS:
                continue
            value = arg.value
            if isinstance(value, IntValueNode):
                return max(1, int(value.value))
            if isinstance(value, VariableNode):
                if self.variables is None:
                    return self.max_page  # not known yet: the largest page allowed
                given = self.variables.get(value.name.value)
                if isinstance(given, int) and not isinstance(given, bool):
                    return max(1, given)
        return self.default_page  # omitted or null: the page size the server really uses

    def _times(self, node: FieldNode, parent: GraphQLNamedType | None, definition: Any) -> int:
        """How many times a plain field's selection is resolved, at most."""
        if definition is None:
            return 1
        assert parent is not None
        bound = list_bound(parent.name, node.name.value, definition)
        if bound is None and _is_list(definition.type):
            return self.max_page  # pragma: no cover - tests keep every list bounded
        return bound or 1


def _named(of_type: Any) -> GraphQLNamedType | None:
    while isinstance(of_type, (GraphQLNonNull, GraphQLList)):
        of_type = of_type.of_type
    return of_type if isinstance(of_type, GraphQLNamedType) else None


def _is_list(of_type: Any) -> bool:
    while isinstance(of_type, GraphQLNonNull):
        of_type = of_type.of_type
    return isinstance(of_type, GraphQLList)


def measure_operation(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    max_page: int,
    variables: Mapping[str, Any] | None = None,
) -> tuple[Measure, Analysis]:
    """Measure one operation of a document (and return the analysis, for its counters).
    With ``variables``, page sizes given by variables count their value (or their default)."""
    if variables is not None:
        variables = {**_defaults(operation), **variables}
    analysis = Analysis(schema, fragments, max_page, variables)
    root = schema.get_root_type(operation.operation)
    return analysis.selection_set(operation.selection_set, root), analysis


def _defaults(operation: OperationDefinitionNode) -> dict[str, Any]:
    return {
        d.variable.name.value: int(d.default_value.value)
        for d in operation.variable_definitions or ()
        if isinstance(d.default_value, IntValueNode)
    }


def fragments_of(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def limit_rules(max_depth: int, max_aliases: int, max_page: int) -> list[type[ASTValidationRule]]:
    """Build the validation rule for depth and aliases (once per schema). The cost, which
    depends on the variables, is checked per request (``cost_check``)."""

    class DocumentLimits(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            fragments = fragments_of(self.context.document)
            m = measure_operation(self.context.schema, node, fragments, max_page)[0]
            if m.depth > max_depth:
                self._refuse(
                    node,
                    f"La requête est trop profonde ({m.depth} niveaux, maximum {max_depth}).",
                    ApiErrorCode.QUERY_TOO_DEEP,
                )
            if m.aliases > max_aliases:
                self._refuse(
                    node,
                    f"La requête contient trop d'alias ({m.aliases}, maximum {max_aliases}).",
                    ApiErrorCode.TOO_MANY_ALIASES,
                )

        def _refuse(self, node: OperationDefinitionNode, message: str, code: ApiErrorCode) -> None:
            self.report_error(GraphQLError(message, node, extensions={"code": code.value}))

    return [DocumentLimits]
