"""Text no database can store: a NUL character (U+0000) in any string of a request.

PostgreSQL refuses it in every text value (``invalid byte sequence for encoding "UTF8"``),
in a WHERE clause as well as in an INSERT; SQLite would store it and cut strings short
elsewhere. The request is refused before execution with BAD_USER_INPUT, whichever argument,
input field or variable carries it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from graphql import DocumentNode, GraphQLError, StringValueNode, Visitor, visit

NUL = "\x00"
NUL_MESSAGE = "Les textes ne peuvent pas contenir le caractère nul (U+0000)."


class _NulFinder(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_string_value(self, node: StringValueNode, *_: Any) -> Any:
        if NUL in node.value:
            self.found = True
            return self.BREAK
        return None


@lru_cache(maxsize=1000)
def literal_has_nul(document: DocumentNode) -> bool:
    """Whether a string literal of the document holds a NUL (escaped as \\u0000 or not)."""
    finder = _NulFinder()
    visit(document, finder)
    return finder.found


def value_has_nul(value: object) -> bool:
    """Whether a variable value (decoded JSON) holds a NUL in a string or a key."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(value_has_nul(k) or value_has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(value_has_nul(v) for v in value)
    return False


def nul_error(document: DocumentNode, variables: object) -> GraphQLError | None:
    """BAD_USER_INPUT when the document or its variables carry a NUL character."""
    if literal_has_nul(document) or value_has_nul(variables):
        return GraphQLError(NUL_MESSAGE, extensions={"code": "BAD_USER_INPUT"})
    return None
