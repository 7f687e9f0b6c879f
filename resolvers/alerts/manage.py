"""Abonnements aux offres: create, change and delete alerts, preview their criteria, and the
unsubscribe links of their mails.

An alert needs a dossier whose e-mail is confirmed (issue 2's capability); it is suspended
while that e-mail is changed and not yet confirmed again, and resumes by itself then (the
state is read from the dossier). Its percolator keys (``resolvers.alerts.keys``) are written
with it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.alerts import Alert, AlertFrequency, AlertKey
from models.base import utcnow
from models.dashboard import EventKind
from models.dossiers import Dossier
from models.identity import Account
from resolvers.alerts.keys import alert_keys
from resolvers.classeur.saved_offers import require_candidat
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.core.validation import clean_text
from resolvers.dashboard.events import record_event
from resolvers.dossiers import services as dossier_services
from resolvers.dossiers.manage import owned_dossier, update_dossier
from resolvers.offers.criteria import OfferCriteria, check_criteria, collect_criteria
from resolvers.offers.search import count_offers

if TYPE_CHECKING:
    from ground.runtime import Runtime
    from refdata import ReferenceData

MAX_ID = 2**63 - 1
MAX_PER_DOSSIER = 20
PREVIEW_DAYS = 7
UNSUBSCRIBE_PATH = "/abonnements/desabonnement"
SUBJECT = "alert"


def not_found() -> DomainError:
    return DomainError.single("id", ErrorCode.NOT_FOUND, "Cet abonnement est introuvable.")


def is_suspended(dossier: Dossier) -> bool:
    """Suspended while the dossier's e-mail is missing or not confirmed."""
    return dossier.email is None or dossier.email_confirmed_at is None


def unsubscribe_token(secret_key: str, alert: Alert) -> str:
    """``<id>.<HMAC>``: unguessable without the secret key; a new salt revokes it."""
    mac = hmac.new(
        secret_key.encode(),
        f"alert-unsubscribe:{alert.id}:{alert.unsubscribe_salt}".encode(),
        hashlib.sha256,
    ).digest()
    return f"{alert.id}.{urlsafe_b64encode(mac).decode().rstrip('=')}"


def unsubscribe_url(runtime: Runtime, alert: Alert) -> str:
    return runtime.settings.link(
        f"{UNSUBSCRIBE_PATH}?token={unsubscribe_token(runtime.settings.secret_key, alert)}"
    )


async def _write_keys(session: AsyncSession, ref: ReferenceData, alert: Alert) -> None:
    await session.execute(delete(AlertKey).where(AlertKey.alert_id == alert.id))
    keys = alert_keys(ref, OfferCriteria.from_json(alert.criteria))
    await session.execute(insert(AlertKey), [{"key": k, "alert_id": alert.id} for k in keys])


def _criteria(
    ref: ReferenceData, errors: ErrorCollector, criteria: OfferCriteria
) -> OfferCriteria | None:
    checked = collect_criteria(ref, errors, criteria)
    # An alert sends offers as they are published: "published since" means nothing here.
    return checked.replace(published_since_days=None) if checked is not None else None


def _name(errors: ErrorCollector, name: str | None) -> str | None:
    return clean_text(errors, "name", name, label="Nom de l'abonnement", max_len=60, required=True)


async def create_alert(
    session: AsyncSession,
    ref: ReferenceData,
    account: Account,
    dossier_id: int,
    name: str | None,
    criteria: OfferCriteria,
    frequency: AlertFrequency,
) -> Alert:
    """Subscribe a dossier to offers matching ``criteria`` (its e-mail must be confirmed)."""
    require_candidat(account)
    dossier = await owned_dossier(session, account.id, dossier_id, "dossierId")
    capability = dossier_services.capabilities(dossier).can_subscribe_to_offers
    if not capability.allowed:
        assert capability.reason is not None and capability.message is not None
        raise DomainError.single("dossierId", capability.reason, capability.message)
    errors = ErrorCollector()
    text = _name(errors, name)
    checked = _criteria(ref, errors, criteria)
    count = await session.scalar(
        select(func.count()).select_from(Alert).where(Alert.dossier_id == dossier.id)
    )
    if (count or 0) >= MAX_PER_DOSSIER:
        errors.add(None, ErrorCode.TOO_LONG, f"{MAX_PER_DOSSIER} abonnements par dossier au plus.")
    errors.raise_if_any()
    assert text is not None and checked is not None
    alert = Alert(
        account_id=account.id,
        dossier_id=dossier.id,
        name=text,
        criteria=checked.to_json(),
        frequency=frequency.value,
        unsubscribe_salt=secrets.token_hex(16),
    )
    session.add(alert)
    await session.flush()
    await _write_keys(session, ref, alert)
    await record_event(
        session, account.id, EventKind.ALERT_CREATED, {"name": text}, SUBJECT, alert.id
    )
    return alert


async def owned_alert(session: AsyncSession, account_id: int, alert_id: int) -> Alert:
    row = await session.scalar(
        select(Alert).where(Alert.id == min(alert_id, MAX_ID), Alert.account_id == account_id)
    )
    if row is None:
        raise not_found()
    return row


async def update_alert(
    session: AsyncSession,
    ref: ReferenceData,
    account: Account,
    alert_id: int,
    changes: dict[str, Any],
) -> Alert:
    """Rename it, replace its criteria or change its frequency (omitted ones stay)."""
    require_candidat(account)
    alert = await owned_alert(session, account.id, alert_id)
    errors = ErrorCollector()
    name = alert.name
    if "name" in changes:
        name = _name(errors, changes["name"]) or ""
    checked = None
    if changes.get("criteria") is not None:
        checked = _criteria(ref, errors, changes["criteria"])
    errors.raise_if_any()
    alert.name = name
    if changes.get("frequency") is not None:
        alert.frequency = AlertFrequency(changes["frequency"]).value
    if checked is not None:
        alert.criteria = checked.to_json()
        await _write_keys(session, ref, alert)
    alert.updated_at = utcnow()
    await session.flush()
    return alert


async def delete_alert(session: AsyncSession, account: Account, alert_id: int) -> int:
    require_candidat(account)
    alert = await owned_alert(session, account.id, alert_id)
    await session.delete(alert)
    await session.flush()
    return alert_id


async def change_alert_email(
    session: AsyncSession, runtime: Runtime, account: Account, dossier_id: int, email: str | None
) -> Dossier:
    """« Modifier mon courriel d'abonnement »: the dossier's e-mail changes, a confirmation
    mail goes to the new address, and the dossier's alerts are suspended until it is used."""
    errors = ErrorCollector()
    if not (email or "").strip():
        errors.add("email", ErrorCode.REQUIRED, "Indiquez la nouvelle adresse électronique.")
    errors.raise_if_any()
    return await update_dossier(session, runtime, account, dossier_id, {"email": email})


async def unsubscribe(session: AsyncSession, runtime: Runtime, token: str) -> Alert:
    """Delete the alert behind an unsubscribe link (no sign-in; NOT_FOUND when forged,
    revoked or already used)."""
    raw_id, _, _mac = token.partition(".")
    alert = None
    if raw_id.isdigit() and len(raw_id) < 19:
        alert = await session.scalar(select(Alert).where(Alert.id == int(raw_id)))
    expected = unsubscribe_token(runtime.settings.secret_key, alert) if alert else ""
    if alert is None or not hmac.compare_digest(expected.encode(), token.encode()):
        raise DomainError.single(
            "token", ErrorCode.NOT_FOUND, "Ce lien de désabonnement n'est plus valable."
        )
    await session.delete(alert)
    await session.flush()
    await record_event(
        session,
        alert.account_id,
        EventKind.ALERT_UNSUBSCRIBED,
        {"name": alert.name},
        SUBJECT,
        alert.id,
    )
    return alert


@dataclass(frozen=True, slots=True)
class Preview:
    count: int
    since: datetime


async def preview(
    session: AsyncSession, ref: ReferenceData, criteria: OfferCriteria, now: datetime
) -> Preview:
    """How many published offers the criteria would have matched over the last 7 days."""
    checked = check_criteria(ref, criteria, prefix="criteria.")
    checked = checked.replace(published_since_days=PREVIEW_DAYS)
    count = await count_offers(session, ref, checked, now)
    return Preview(count, now - timedelta(days=PREVIEW_DAYS))
