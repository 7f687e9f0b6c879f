"""Document limits as validation rules: depth, aliases and cost, with stable codes.

The rule classes are built once per schema, so the validation cache (keyed by the rule
classes) serves every request. Each field costs 1. A connection field multiplies the cost of
its selection by its page size: the literal ``first``/``last``, the configured maximum when it
comes from a variable, the default page size the server uses when it is omitted. A plain
list multiplies by its real upper bound (``schema.list_bounds``).

The analysis is linear in the size of the document: each fragment is measured once, and
every spread of it reuses that measure (a fragment "bomb" that spreads the previous fragment
twice, forty levels deep, is measured in forty steps). Introspection (``__schema``,
``__type`` and everything under them) counts neither depth nor cost: graphql-core's
``MaxIntrospectionDepthRule`` guards it instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ASTValidationRule,
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
)

from schema.list_bounds import DEFAULT_PAGE_SIZE, list_bound

INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})
PAGE_ARGUMENTS = ("first", "last")


@dataclass(frozen=True)
class Measure:
    depth: int
    aliases: int
    cost: int


ZERO = Measure(0, 0, 0)


@dataclass
class Analysis:
    """Measures the selections of one document; each fragment is measured once."""

    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    max_page: int
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
        depth = aliases = cost = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                inner = self.field(selection, parent, meta)
                depth = max(depth, inner.depth)
                aliases += inner.aliases
                cost += inner.cost
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
        return Measure(depth, aliases, cost)

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
        times = self._times(node, parent, definition)
        return Measure(1 + inner.depth, alias + inner.aliases, 1 + times * inner.cost)

    def _times(self, node: FieldNode, parent: GraphQLNamedType | None, definition: Any) -> int:
        """How many times a field's selection is resolved, at most."""
        if definition is None:
            return 1
        for arg in node.arguments or ():
            if arg.name.value in PAGE_ARGUMENTS:
                if isinstance(arg.value, IntValueNode):
                    return max(1, int(arg.value.value))
                return self.max_page  # a variable (or null): the largest page allowed
        if any(a in definition.args for a in PAGE_ARGUMENTS):
            return self.default_page  # omitted: the page size the server really uses
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
) -> tuple[Measure, Analysis]:
    """Measure one operation of a document (and return the analysis, for its counters)."""
    analysis = Analysis(schema, fragments, max_page)
    root = schema.get_root_type(operation.operation)
    return analysis.selection_set(operation.selection_set, root), analysis


def limit_rules(
    max_depth: int, max_aliases: int, max_cost: int, max_page: int
) -> list[type[ASTValidationRule]]:
    """Build the validation rule for the configured limits (once per schema)."""

    class DocumentLimits(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            fragments = {
                d.name.value: d
                for d in self.context.document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            m = measure_operation(self.context.schema, node, fragments, max_page)[0]
            if m.depth > max_depth:
                self._refuse(
                    node,
                    f"La requête est trop profonde ({m.depth} niveaux, maximum {max_depth}).",
                    "QUERY_TOO_DEEP",
                )
            if m.aliases > max_aliases:
                self._refuse(
                    node,
                    f"La requête contient trop d'alias ({m.aliases}, maximum {max_aliases}).",
                    "TOO_MANY_ALIASES",
                )
            if m.cost > max_cost:
                self._refuse(
                    node,
                    f"La requête est trop coûteuse ({_short(m.cost)}, maximum {max_cost}) : "
                    "réduisez les pages demandées ou les champs imbriqués.",
                    "QUERY_TOO_COSTLY",
                )

        def _refuse(self, node: OperationDefinitionNode, message: str, code: str) -> None:
            self.report_error(GraphQLError(message, node, extensions={"code": code}))

    return [DocumentLimits]


def _short(cost: int) -> str:
    # A fragment bomb's cost has dozens of digits: say it is huge rather than print them.
    return str(cost) if cost < 10**12 else "plus de mille milliards"
