"""``accountDelete``: the password again, then an erasure due after the grace period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.erasure import ErasureReason, ErasureRequest
from models.identity import Account, AccountKind
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.unit_of_work import UnitOfWork
from resolvers.identity.credentials import with_current_password
from resolvers.identity.fields import french_datetime, notice_addresses
from resolvers.identity.password_policy import MAX_LENGTH
from resolvers.identity.sessions import Viewer


@dataclass(frozen=True, slots=True)
class Scheduled:
    """When the erasure was asked for and when it will be made."""

    requested_at: datetime
    due_at: datetime


async def pending_request(session: AsyncSession, account_id: int) -> ErasureRequest | None:
    """The account's erasure still to come, if any."""
    stmt = select(ErasureRequest).where(
        ErasureRequest.account_id == account_id,
        ErasureRequest.cancelled_at.is_(None),
        ErasureRequest.done_at.is_(None),
    )
    return (await session.scalars(stmt.order_by(ErasureRequest.id.desc()).limit(1))).first()


async def schedule(
    session: AsyncSession,
    runtime: Runtime,
    account: Account,
    reason: ErasureReason,
    now: datetime,
    due_at: datetime,
) -> ErasureRequest:
    """Add the request (or keep the pending one) and mail what will happen and how to cancel."""
    found = await pending_request(session, account.id)
    if found is not None:
        return found
    row = ErasureRequest(account_id=account.id, reason=reason, requested_at=now, due_at=due_at)
    session.add(row)
    template = (
        "account_delete_requested"
        if reason == ErasureReason.REQUESTED
        else "account_inactive_notice"
    )
    context = {
        "identifiant": account.identifiant,
        "requested_at": french_datetime(now),
        "due_at": french_datetime(due_at),
    }
    for address in await notice_addresses(session, account):
        await runtime.mailer.enqueue(session, to=address, template=template, context=context)
    await session.flush()
    return row


async def request_deletion(
    uow: UnitOfWork, runtime: Runtime, viewer: Viewer, current_password: str | None
) -> Scheduled:
    """Schedule the viewer's erasure after the grace period; the password is asked again."""
    if viewer.account.kind != AccountKind.CANDIDAT:
        raise DomainError.single(
            None,
            ErrorCode.FORBIDDEN,
            "Seul un candidat peut supprimer son compte ici : contactez le service.",
        )
    if not current_password:
        raise DomainError.single(
            "currentPassword", ErrorCode.REQUIRED, "Indiquez votre mot de passe actuel."
        )
    if len(current_password) > MAX_LENGTH:
        raise DomainError.single(
            "currentPassword", ErrorCode.WRONG_PASSWORD, "Votre mot de passe actuel est incorrect."
        )
    done: list[ErasureRequest] = []

    async def change(session: AsyncSession, account: Account, _: datetime) -> None:
        now = runtime.clock.now()
        due = now + timedelta(days=runtime.settings.erasure_grace_days)
        done.append(await schedule(session, runtime, account, ErasureReason.REQUESTED, now, due))

    errors = await with_current_password(uow, runtime, viewer.account.id, current_password, change)
    if errors:
        raise DomainError(errors)
    runtime.mailer.wake()
    return Scheduled(requested_at=done[0].requested_at, due_at=done[0].due_at)
