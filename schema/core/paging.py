"""Relay paging for every connection: ``first``/``after`` forward, ``last``/``before``
backward, and ``totalCount`` computed only when asked for (one COUNT per list, a grouped
COUNT for a list nested under a list)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry import relay

from resolvers.core.paging import KeysetPage, Window
from schema.core.base import api_error, decode_cursor, encode_cursor
from schema.core.context import Info
from schema.core.error_codes import ApiErrorCode

C = TypeVar("C", bound=relay.Connection[Any])
M = TypeVar("M")
Count = Callable[[], Awaitable[int]]

TOTAL_COUNT = (
    "How many items the whole list holds, across all pages (computed only when asked for: "
    "one count per list, one grouped count for a list under a list)."
)

Last = Annotated[
    int | None,
    strawberry.argument(
        description="How many items to return from the end of the list, or just before "
        "`before`, still in list order (at most the largest page, 100 by default); instead "
        "of `first`."
    ),
]
Before = Annotated[
    str | None,
    strawberry.argument(
        description="Return the items that precede this cursor (a `startCursor` or an "
        "edge's `cursor` of this same list): with `last`, to page backward."
    ),
]


def window(
    info: Info,
    first: int | None,
    after: str | None,
    last: int | None = None,
    before: str | None = None,
) -> Window:
    """The page asked for, checked: BAD_PAGE_SIZE, BAD_CURSOR."""
    return checked_window(info.context.runtime.settings.max_page_size, first, after, last, before)


def checked_window(
    limit: int, first: int | None, after: str | None, last: int | None, before: str | None
) -> Window:
    """The page asked for with pages of at most ``limit`` items; raises the GraphQL errors
    BAD_PAGE_SIZE and BAD_CURSOR (the interpreter and the compiled reads share it)."""
    if first is not None and last is not None:
        raise api_error(ApiErrorCode.BAD_PAGE_SIZE, "Donnez « first » ou « last », pas les deux.")
    size = last if last is not None else first
    if size is not None and not 0 <= size <= limit:
        name = "last" if last is not None else "first"
        raise api_error(
            ApiErrorCode.BAD_PAGE_SIZE,
            f"Le paramètre « {name} » doit être compris entre 0 et {limit}.",
        )
    return Window(
        after=decode_cursor(after),
        before=decode_cursor(before),
        limit=min(20, limit) if size is None else size,
        from_end=last is not None,
    )


def paged_connection(
    connection_cls: type[C],
    page: KeysetPage,
    to_node: Callable[[Any], Any],
    key: Callable[[Any], int],
    count: Count | None = None,
) -> C:
    """A Relay connection from one keyset page; ``count`` answers ``totalCount``."""
    edges = [relay.Edge(cursor=encode_cursor(key(row)), node=to_node(row)) for row in page.rows]
    connection = connection_cls(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )
    connection.count_rows = count  # type: ignore[attr-defined]
    return connection


def empty_page() -> KeysetPage:
    return KeysetPage([], has_next=False, has_previous=False)


async def zero() -> int:
    return 0


async def count_of(connection: Any) -> int:
    """The ``totalCount`` of a connection built by ``paged_connection``."""
    count: Count | None = getattr(connection, "count_rows", None)
    return 0 if count is None else await count()
