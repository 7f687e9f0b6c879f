"""Shared GraphQL building blocks: user errors, API errors, Relay connections."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import Annotated, Any, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry import relay

from resolvers.core.errors import DomainError, ErrorCode, FieldError
from schema.core.context import Info
from schema.core.error_codes import (
    API_ERROR_DESCRIPTIONS,
    USER_ERROR_DESCRIPTIONS,
    ApiErrorCode,
)
from schema.core.list_bounds import DEFAULT_PAGE_SIZE

C = TypeVar("C", bound=relay.Connection[Any])
M = TypeVar("M")
E = TypeVar("E", bound=type[Enum])


def described_enum(cls: E, name: str, description: str, labels: Mapping[Any, str]) -> E:
    """A strawberry enum whose every value carries its description (its French label)."""
    wrapped = strawberry.enum(cls, name=name, description=description)
    for value in wrapped.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = labels[cls[value.name]]
    return wrapped


UserErrorCode = described_enum(
    ErrorCode,
    "UserErrorCode",
    "Stable codes of `userErrors`; frontends branch on them.",
    USER_ERROR_DESCRIPTIONS,
)
TopLevelErrorCode = described_enum(
    ApiErrorCode,
    "ErrorCode",
    "Stable codes of top-level errors, in `errors[].extensions.code`; frontends branch on "
    "them. A field that fails for a domain reason (not signed in, not found…) carries a "
    "`UserErrorCode` value there instead.",
    API_ERROR_DESCRIPTIONS,
)


@strawberry.type(
    description="A problem with the input of a mutation, for one field or the whole input."
)
class UserError:
    field: str | None = strawberry.field(
        description="The input field at fault (camelCase), or null when the whole input is."
    )
    message: str = strawberry.field(description="What went wrong, in French, for a person.")
    code: UserErrorCode = strawberry.field(description="Stable code for frontends.")  # type: ignore[valid-type]


First = Annotated[
    int | None,
    strawberry.argument(
        description="How many items to return from the start of the list, or after `after`: 20 "
        "when omitted, at most the largest page (100 by default)."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Return the items that follow this cursor (an `endCursor` or an edge's "
        "`cursor` of this same list); from the start when omitted."
    ),
]

ReplayAfter = Annotated[
    str | None,
    strawberry.argument(
        description="Replay everything after this cursor (the `cursor` field of the last item "
        "received, kept by the client) before the live items, so that a reconnection "
        "misses nothing; only new items when omitted."
    ),
]


def user_errors(error: DomainError | Sequence[FieldError]) -> list[UserError]:
    items = error.errors if isinstance(error, DomainError) else error
    return [UserError(field=e.field, message=e.message, code=e.code) for e in items]


def api_error(code: ApiErrorCode | ErrorCode, message: str) -> GraphQLError:
    """A top-level GraphQL error with a stable ``extensions.code``."""
    return GraphQLError(message, extensions={"code": str(code)})


def domain_to_api_error(error: DomainError) -> GraphQLError:
    first = error.errors[0]
    return api_error(first.code, first.message)


def encode_cursor(value: int) -> str:
    return base64.urlsafe_b64encode(f"c:{value}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = raw.partition(":")
        value = int(number)
        if prefix != "c" or not 0 <= value < 2**63:
            raise ValueError(raw)
        return value
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise api_error(ApiErrorCode.BAD_CURSOR, "Curseur de pagination invalide.") from exc


def page_size(info: Info, first: int | None, default: int = DEFAULT_PAGE_SIZE) -> int:
    """Validate ``first`` against the configured maximum page size."""
    limit = info.context.runtime.settings.max_page_size
    if first is None:
        return min(default, limit)
    if first < 0 or first > limit:
        raise api_error(
            ApiErrorCode.BAD_PAGE_SIZE,
            f"Le paramètre « first » doit être compris entre 0 et {limit}.",
        )
    return first


def build_connection(
    connection_cls: type[C],
    rows: Sequence[M],
    has_next: bool,
    to_node: Callable[[M], Any],
    key: Callable[[M], int],
    has_previous: bool = False,
    **extra: Any,
) -> C:
    """Build a Relay connection from one page of rows (keyset cursor on ``key``)."""
    edges = [relay.Edge(cursor=encode_cursor(key(row)), node=to_node(row)) for row in rows]
    return connection_cls(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        **extra,
    )
