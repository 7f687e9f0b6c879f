"""Document limits as validation rules: depth, aliases and cost, with stable codes.

The rule classes are built once per schema, so the validation cache (keyed by the rule
classes) serves every request. Each field costs 1; a field taking ``first``/``last``
multiplies the cost of its selection by that page size (the literal, or the configured
maximum when it comes from a variable).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)

from schema.error_codes import ApiErrorCode


@dataclass(frozen=True)
class Measure:
    depth: int
    aliases: int
    cost: int


def measure(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    max_page: int,
    seen: frozenset[str] = frozenset(),
) -> Measure:
    """Depth, alias count and cost of a selection set (fragments expanded once per path)."""
    if selection_set is None:
        return Measure(0, 0, 0)
    depth = aliases = cost = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            inner = measure(selection.selection_set, fragments, max_page, seen)
            is_meta = selection.name.value.startswith("__")
            depth = max(depth, (0 if is_meta else 1) + inner.depth)
            aliases += inner.aliases + (1 if selection.alias else 0)
            cost += 1 + _page(selection, max_page) * inner.cost
            continue
        if isinstance(selection, InlineFragmentNode):
            inner = measure(selection.selection_set, fragments, max_page, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None or name in seen:
                continue
            inner = measure(fragment.selection_set, fragments, max_page, seen | {name})
        else:  # pragma: no cover - no other selection kinds exist
            continue
        depth = max(depth, inner.depth)
        aliases += inner.aliases
        cost += inner.cost
    return Measure(depth, aliases, cost)


def _page(node: FieldNode, max_page: int) -> int:
    for arg in node.arguments or ():
        if arg.name.value in {"first", "last"}:
            if isinstance(arg.value, IntValueNode):
                return max(1, int(arg.value.value))
            return max_page
    return 1


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
            m = measure(node.selection_set, fragments, max_page)
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
            if m.cost > max_cost:
                self._refuse(
                    node,
                    f"La requête est trop coûteuse ({m.cost}, maximum {max_cost}) : "
                    "réduisez les pages demandées ou les champs imbriqués.",
                    ApiErrorCode.QUERY_TOO_COSTLY,
                )

        def _refuse(self, node: OperationDefinitionNode, message: str, code: ApiErrorCode) -> None:
            self.report_error(GraphQLError(message, node, extensions={"code": code.value}))

    return [DocumentLimits]
