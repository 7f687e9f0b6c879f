"""The scheduled erasure: every request whose grace period has passed is carried out, one
account per transaction (rows by the registry, sessions revoked so that their sockets close
with 4403, a last mail), and the files are removed once it has committed."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ground.db import begin_write
from ground.runtime import Runtime
from models.agenda import Workshop, WorkshopRegistration
from models.erasure import ErasureReason, ErasureRequest
from models.identity import Account
from resolvers.erasure.engine import erase_rows
from resolvers.identity.fields import french_datetime, notice_addresses
from resolvers.identity.sessions import revoke_all_sessions

log = logging.getLogger("espace.erasure")

BATCH = 100


async def erase_due(runtime: Runtime, now: datetime) -> int:
    """Carry out the erasures due at ``now``; returns how many were made."""
    async with runtime.sessionmaker() as session:
        due = list(
            (
                await session.scalars(
                    select(ErasureRequest.id)
                    .where(
                        ErasureRequest.due_at <= now,
                        ErasureRequest.cancelled_at.is_(None),
                        ErasureRequest.done_at.is_(None),
                    )
                    .order_by(ErasureRequest.due_at, ErasureRequest.id)
                    .limit(BATCH)
                )
            ).all()
        )
    made = 0
    for request_id in due:
        made += await erase_one(runtime, request_id, now)
    if made:
        runtime.mailer.wake()
    return made


async def erase_one(runtime: Runtime, request_id: int, now: datetime) -> int:
    """Erase the account of one request, if it is still due (a sign-in may have cancelled it
    since); 1 when made."""
    async with runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        request = await session.scalar(
            select(ErasureRequest).where(ErasureRequest.id == request_id).with_for_update()
        )
        if request is None or request.cancelled_at is not None or request.done_at is not None:
            return 0
        account = await session.get(Account, request.account_id)
        assert account is not None  # the request cascades with its account
        addresses = await notice_addresses(session, account)
        await revoke_all_sessions(session, account.id)
        await release_seats(session, account.id)
        keys = await erase_rows(session, account.id, now)
        request.done_at = now
        for address in addresses:
            await runtime.mailer.enqueue(
                session,
                to=address,
                template="account_erased",
                context={
                    "at": french_datetime(now),
                    "requested": request.reason == ErasureReason.REQUESTED,
                },
            )
    for key in keys:
        try:
            await runtime.storage.delete(key)
        except OSError:  # the row is gone; the orphan is logged, never kept silently
            log.exception("could not remove an erased file")
    return 1


async def release_seats(session: AsyncSession, account_id: int) -> None:
    """The workshop places the person held are free again (their registrations are
    deleted by the registry)."""
    held = select(WorkshopRegistration.workshop_id).where(
        WorkshopRegistration.account_id == account_id
    )
    await session.execute(
        update(Workshop)
        .where(Workshop.id.in_(held), Workshop.seats_taken > 0)
        .values(seats_taken=Workshop.seats_taken - 1)
    )
