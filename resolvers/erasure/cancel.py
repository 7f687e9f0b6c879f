"""Signing in during the grace period cancels a scheduled erasure, and says so by mail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.erasure import ErasureRequest
from models.identity import Account
from resolvers.identity.fields import french_datetime, notice_addresses


async def cancel_on_sign_in(
    session: AsyncSession, runtime: Runtime, account: Account, now: datetime
) -> bool:
    """Cancel the account's pending erasure, if any (mailing that it is cancelled)."""
    cancelled = await session.scalars(
        update(ErasureRequest)
        .where(
            ErasureRequest.account_id == account.id,
            ErasureRequest.cancelled_at.is_(None),
            ErasureRequest.done_at.is_(None),
        )
        .values(cancelled_at=now)
        .returning(ErasureRequest.id)
    )
    if not cancelled.all():
        return False
    for address in await notice_addresses(session, account):
        await runtime.mailer.enqueue(
            session,
            to=address,
            template="account_delete_cancelled",
            context={"identifiant": account.identifiant, "at": french_datetime(now)},
        )
    return True
