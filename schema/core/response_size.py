"""A bound on the size of an answer while it is built, not after.

graphql-core completes every leaf (scalar or enum) of a result through
``complete_leaf_value``; counting them there bounds the answer before it exists in memory.
The first leaf past ``ESPACE_MAX_RESPONSE_BYTES`` raises ``RESPONSE_TOO_LARGE``; the leaves
after it complete as empty placeholders (no more text is kept), and the pipeline
(``schema.core.pipeline``) answers the refusal alone, without data. The transport still
checks the encoded body as a backstop.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, GraphQLLeafType

from schema.core.error_codes import ApiErrorCode
from schema.core.fast_fields import LEAF_OVERHEAD, FastFieldsExecutionContext


def too_large_message(limit: int) -> str:
    return (
        f"La réponse dépasserait la taille maximale ({limit // 1024} Kio) : "
        "demandez moins d'éléments par page ou moins de champs."
    )


def too_large(error: GraphQLError) -> bool:
    return (error.extensions or {}).get("code") == ApiErrorCode.RESPONSE_TOO_LARGE.value


class SizedExecutionContext(FastFieldsExecutionContext):
    """Strawberry's execution context (basic leaves read directly: schema.core.fast_fields),
    counting the bytes of the leaves it completes."""

    # max_bytes, set per schema by ``sized_execution_context``, and the counters are the
    # base class's: its short path counts the leaves it completes in the same way.

    def complete_leaf_value(self, return_type: GraphQLLeafType, result: Any) -> Any:  # type: ignore[override]
        coerced = super().complete_leaf_value(return_type, result)
        if self.max_bytes <= 0:
            return coerced
        if self._over:
            # The answer is refused: an empty placeholder, no copy of the value (a null would
            # add an error per non-null leaf).
            return "" if isinstance(coerced, str) else coerced
        self._size += LEAF_OVERHEAD + (len(coerced) if isinstance(coerced, str) else 0)
        if self._size > self.max_bytes:
            self._over = True
            raise GraphQLError(
                too_large_message(self.max_bytes),
                extensions={"code": ApiErrorCode.RESPONSE_TOO_LARGE.value},
            )
        return coerced


def sized_execution_context(max_bytes: int) -> type[SizedExecutionContext]:
    """The execution context class of a schema whose answers stay under ``max_bytes``."""
    return type("SizedExecutionContext", (SizedExecutionContext,), {"max_bytes": max_bytes})
