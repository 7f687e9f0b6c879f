"""Confirming a dossier's e-mail address: the mail, its two links, and sending it again.

Each mail carries two random tokens, stored only as keyed hashes: one confirms the
address, the other ("Je signale une erreur") removes it from the dossier. A token is
single-use (using one link spends both), expires after ``email_confirmation_days``, and
only acts while the dossier still has the address the mail was sent to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.base import utcnow
from models.dashboard import EventKind
from models.dossiers import Dossier, EmailConfirmation
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.tokens import hash_token, new_token
from resolvers.dashboard.events import record_event
from resolvers.dossiers.fields import CIVILITE_LABELS, Civilite
from resolvers.rectification.audit import LINK, record_changes

CONFIRM_PATH = "/courriel/confirmer"
REPORT_PATH = "/courriel/signaler"
TEMPLATE = "email_confirmation"
TOKEN_MAX_CHARS = 200


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """What a valid link points at."""

    confirmation: EmailConfirmation
    dossier: Dossier


def mail_context(runtime: Runtime, dossier: Dossier, confirm: str, report: str) -> dict[str, Any]:
    settings = runtime.settings
    return {
        "civilite": CIVILITE_LABELS[Civilite(dossier.civilite)],
        "prenom": dossier.prenom,
        "nom": dossier.nom,
        "dossier_name": dossier.name,
        "email": dossier.email,
        "confirm_url": settings.link(f"{CONFIRM_PATH}?token={confirm}"),
        "report_url": settings.link(f"{REPORT_PATH}?token={report}"),
        "days": settings.email_confirmation_days,
    }


async def send_confirmation(session: AsyncSession, runtime: Runtime, dossier: Dossier) -> None:
    """Create the two tokens and enqueue the mail, in the caller's transaction."""
    assert dossier.email is not None
    key = runtime.settings.secret_key
    confirm, report = new_token(), new_token()
    now = utcnow()
    session.add(
        EmailConfirmation(
            dossier_id=dossier.id,
            email=dossier.email,
            confirm_hash=hash_token(key, confirm),
            report_hash=hash_token(key, report),
            created_at=now,
            expires_at=now + timedelta(days=runtime.settings.email_confirmation_days),
        )
    )
    await session.flush()
    await runtime.mailer.enqueue(
        session,
        to=dossier.email,
        template=TEMPLATE,
        context=mail_context(runtime, dossier, confirm, report),
    )


async def expire_pending(session: AsyncSession, dossier_id: int) -> None:
    """The address changed or went: the links already sent stop working."""
    now = utcnow()
    await session.execute(
        update(EmailConfirmation)
        .where(
            EmailConfirmation.dossier_id == dossier_id,
            EmailConfirmation.used_at.is_(None),
            EmailConfirmation.expires_at > now,
        )
        .values(expires_at=now)
    )


async def resend_confirmation(session: AsyncSession, runtime: Runtime, dossier: Dossier) -> None:
    """Send the mail again; at most ``email_resend_per_hour`` times after the first mail."""
    if dossier.email is None:
        raise DomainError.single(
            "dossierId", ErrorCode.NO_EMAIL, "Ce dossier n'a pas d'adresse électronique."
        )
    if dossier.email_confirmed_at is not None:
        raise DomainError.single(
            "dossierId",
            ErrorCode.EMAIL_ALREADY_CONFIRMED,
            "L'adresse électronique de ce dossier est déjà confirmée.",
        )
    since = utcnow() - timedelta(hours=1)
    sent = await session.scalar(
        select(func.count())
        .select_from(EmailConfirmation)
        .where(EmailConfirmation.dossier_id == dossier.id, EmailConfirmation.created_at >= since)
    )
    if (sent or 0) > runtime.settings.email_resend_per_hour:
        raise DomainError.single(
            "dossierId",
            ErrorCode.THROTTLED,
            "Trop de courriels de confirmation envoyés pour ce dossier : réessayez dans une heure.",
        )
    await send_confirmation(session, runtime, dossier)


async def find_link(
    session: AsyncSession, runtime: Runtime, token: str, *, report: bool, for_update: bool = False
) -> LinkTarget:
    """The confirmation a link's token belongs to, if it can still be used."""
    invalid = DomainError.single(
        "token", ErrorCode.TOKEN_INVALID, "Ce lien n'est pas valide : vérifiez qu'il est complet."
    )
    if not token or len(token) > TOKEN_MAX_CHARS:
        raise invalid
    hashed = hash_token(runtime.settings.secret_key, token)
    column = EmailConfirmation.report_hash if report else EmailConfirmation.confirm_hash
    where: ColumnElement[bool] = column == hashed
    stmt = (
        select(EmailConfirmation, Dossier)
        .join(Dossier, Dossier.id == EmailConfirmation.dossier_id)
        .where(where)
    )
    if for_update:
        stmt = stmt.with_for_update()
    row = (await session.execute(stmt)).first()
    if row is None:
        raise invalid
    confirmation, dossier = row
    if confirmation.used_at is not None:
        raise DomainError.single("token", ErrorCode.TOKEN_USED, "Ce lien a déjà été utilisé.")
    if confirmation.expires_at <= utcnow() or dossier.email != confirmation.email:
        raise DomainError.single(
            "token",
            ErrorCode.TOKEN_EXPIRED,
            "Ce lien a expiré : l'adresse a changé depuis l'envoi, ou le délai de "
            f"{runtime.settings.email_confirmation_days} jours est dépassé.",
        )
    return LinkTarget(confirmation, dossier)


async def confirm_email(session: AsyncSession, runtime: Runtime, token: str) -> Dossier:
    """The confirmation link: mark the dossier's address confirmed."""
    target = await find_link(session, runtime, token, report=False, for_update=True)
    now = utcnow()
    target.confirmation.used_at = now
    dossier = target.dossier
    if dossier.email_confirmed_at is None:
        dossier.email_confirmed_at = now
        await record_event(
            session,
            dossier.account_id,
            EventKind.EMAIL_CONFIRMED,
            {"dossierName": dossier.name, "email": dossier.email},
            subject_type="dossier",
            subject_id=dossier.id,
        )
    await session.flush()
    return dossier


async def remove_reported_email(session: AsyncSession, runtime: Runtime, token: str) -> Dossier:
    """ "Je signale une erreur", confirmed: remove the address and alert the candidat."""
    target = await find_link(session, runtime, token, report=True, for_update=True)
    dossier = target.dossier
    email = dossier.email
    target.confirmation.used_at = utcnow()
    dossier.email = None
    dossier.email_confirmed_at = None
    await session.flush()
    removed = [("email", email, None)]
    at = runtime.clock.now()
    await record_changes(
        session, dossier.account_id, LINK, "dossier", dossier.id, removed, at, dossier.name
    )
    await expire_pending(session, dossier.id)
    await record_event(
        session,
        dossier.account_id,
        EventKind.EMAIL_REMOVED,
        {"dossierName": dossier.name, "email": email, "reason": "REPORTED_BY_RECIPIENT"},
        subject_type="dossier",
        subject_id=dossier.id,
    )
    return dossier
