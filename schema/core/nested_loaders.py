"""DataLoaders for the lists under a list (each dossier's CVs, alerts and saved searches,
each alert's matches, each conversation's messages): any page window and ``totalCount``,
one statement per batch whatever the number of parents (no N+1).

Keys carry the account, so that a batch only ever reads one account's rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from resolvers.core.paging import Column, KeysetPage, Window, count_per_group
from schema.core.loader_context import LoaderContext

# (account id, parent id, window) -> that parent's page
PageKey = tuple[int, int, Window]
FetchPages = Callable[[AsyncSession, int, Sequence[int], Window], Awaitable[dict[int, KeysetPage]]]
# (account id, parent id) -> how many rows the parent's list holds
CountKey = tuple[int, int]


class NestedPageLoader(DataLoader[PageKey, KeysetPage]):
    """The same window of many parents' lists: one ``fetch`` per (account, window)."""

    def __init__(self, context: LoaderContext, fetch: FetchPages) -> None:
        async def load(keys: list[PageKey]) -> list[KeysetPage]:
            batches: dict[tuple[int, Window], list[int]] = defaultdict(list)
            for account_id, parent_id, window in keys:
                batches[(account_id, window)].append(parent_id)
            found: dict[PageKey, KeysetPage] = {}
            for (account_id, window), parents in batches.items():
                pages = await fetch(context.read_session(), account_id, parents, window)
                found.update({(account_id, p, window): page for p, page in pages.items()})
            return [found[k] for k in keys]

        super().__init__(load_fn=load)


class NestedCountLoader(DataLoader[CountKey, int]):
    """``totalCount`` of many parents' lists: one grouped COUNT per account."""

    def __init__(
        self, context: LoaderContext, rows_of: Callable[[int], Select[Any]], group: Column
    ) -> None:
        async def load(keys: list[CountKey]) -> list[int]:
            batches: dict[int, list[int]] = defaultdict(list)
            for account_id, parent_id in keys:
                batches[account_id].append(parent_id)
            found: dict[CountKey, int] = {}
            for account_id, parents in batches.items():
                counts = await count_per_group(
                    context.read_session(), rows_of(account_id), group, parents
                )
                found.update({(account_id, p): n for p, n in counts.items()})
            return [found[k] for k in keys]

        super().__init__(load_fn=load)
