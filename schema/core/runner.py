"""One runner for the operations that answer with ``userErrors``.

A mutation says only what is its own: the domain function it calls and how its payload is
built. Signing in, the write transaction and the mapping of domain errors (``DomainError``)
to ``userErrors`` are written here, once:

    async def alert_delete(self, info: Info, input: AlertDeleteInput) -> AlertDeletePayload:
        return await run_mutation(
            info,
            AlertDeletePayload,
            lambda session, viewer: alerts.delete_alert(session, viewer.account, ...),
            lambda deleted: AlertDeletePayload(deleted_alert_id=..., user_errors=[]),
        )

A refused operation gets its payload with every field null and the errors in
``user_errors`` (or what ``refused`` builds, for a payload that has non-null fields).
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncSession

from resolvers.core.errors import DomainError, FieldError
from resolvers.identity.sessions import Viewer
from schema.core.base import UserError, user_errors
from schema.core.context import Info

P = TypeVar("P")
T = TypeVar("T")

Done = Callable[[T], P | Awaitable[P]]
Refused = Callable[[list[UserError]], P]


def refused_payload(payload: Callable[..., P], errors: list[UserError]) -> P:
    """The payload of a refused operation: every field null but ``user_errors``."""
    names = [f.name for f in dataclasses.fields(cast(Any, payload)) if f.name != "user_errors"]
    return payload(**dict.fromkeys(names), user_errors=errors)


def refuse_if_any(errors: Sequence[FieldError]) -> None:
    """For domain functions that return their field errors: raise them, if any."""
    if errors:
        raise DomainError(list(errors))


async def refusable(
    payload: Callable[..., P],
    work: Callable[[], Awaitable[T]],
    done: Done[T, P],
    refused: Refused[P] | None = None,
) -> P:
    """Run ``work``, then build the payload with ``done`` (which may be async: it runs after
    the transaction has committed, e.g. to read the changed object back). A ``DomainError``
    of either becomes the refused payload."""
    try:
        built = done(await work())
        return cast(P, await built) if inspect.isawaitable(built) else built
    except DomainError as error:
        errors = user_errors(error)
        return refused(errors) if refused is not None else refused_payload(payload, errors)


async def run_mutation(
    info: Info,
    payload: Callable[..., P],
    work: Callable[[AsyncSession, Viewer], Awaitable[T]],
    done: Done[T, P],
    refused: Refused[P] | None = None,
) -> P:
    """The signed-in viewer's mutation: ``work(session, viewer)`` in one write transaction
    (all or nothing), then ``done(result)`` once it has committed."""
    ctx = info.context

    async def transaction() -> T:
        viewer = ctx.require_viewer()
        async with ctx.write() as session:
            return await work(session, viewer)

    return await refusable(payload, transaction, done, refused)


async def run_signed_in(
    info: Info,
    payload: Callable[..., P],
    work: Callable[[Viewer], Awaitable[T]],
    done: Done[T, P],
    refused: Refused[P] | None = None,
) -> P:
    """The signed-in viewer's operation whose domain function runs its own transactions
    (it takes the context as its unit of work: uploads, mails, throttles)."""
    ctx = info.context

    async def signed_in() -> T:
        return await work(ctx.require_viewer())

    return await refusable(payload, signed_in, done, refused)
