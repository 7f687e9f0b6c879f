"""The retention job (RGPD art. 5.1.e: no longer than needed). Each duration is a setting
(``ground.settings``) with its legal source:

- inactive candidat accounts: notified ``inactive_notice_days`` before, then erased after
  ``inactive_account_days`` without a sign-in (2 years: CNIL, délibération n° 2019-160 du
  21 novembre 2019, référentiel « gestion du personnel », candidats non retenus : 2 ans après
  le dernier contact; the same period is kept for a job seeker's space left unused);
- refused applications: anonymized ``refused_application_days`` after the refusal (2 years,
  same référentiel);
- expired offers: their personal links (who saved them, which alerts matched them, the
  recruiter's contact) are removed ``expired_offer_links_days`` after closing (same source);
- payments kept for erased accounts: purged after ``erased_payments_years`` (10 years: Code de
  commerce, art. L. 123-22).

Signing in cancels a pending erasure (``resolvers.erasure.cancel``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, exists, func, select, update

from ground.db import begin_write
from ground.runtime import Runtime
from models.alerts import AlertMatch
from models.applications import Application, ApplicationChange, ApplicationStatus
from models.classeur import SavedOffer
from models.erasure import ErasureReason, ErasureRequest
from models.identity import Account, AccountKind, AuthSession
from models.indemnisation import Payment
from models.offers import Offer, OfferStatus
from resolvers.erasure.request import schedule
from resolvers.erasure.tables import ERASED_LABEL

BATCH = 500


async def notify_inactive(runtime: Runtime, now: datetime) -> int:
    """Schedule the erasure of candidats without a sign-in for the retention period minus
    the notice, and mail them; the erasure comes at the end of the period (never sooner than
    the notice)."""
    s = runtime.settings
    period = timedelta(days=s.inactive_account_days)
    notice = timedelta(days=s.inactive_notice_days)
    since = now - (period - notice)
    # A sign-in opens a session; one that cancelled an erasure is stamped by the runtime clock.
    signed_in = exists().where(AuthSession.account_id == Account.id, AuthSession.created_at > since)
    cancelled = exists().where(
        ErasureRequest.account_id == Account.id, ErasureRequest.cancelled_at > since
    )
    pending = exists().where(
        ErasureRequest.account_id == Account.id,
        ErasureRequest.cancelled_at.is_(None),
    )
    last_session = (
        select(func.max(AuthSession.created_at))
        .where(AuthSession.account_id == Account.id)
        .scalar_subquery()
    )
    last_cancel = (
        select(func.max(ErasureRequest.cancelled_at))
        .where(ErasureRequest.account_id == Account.id)
        .scalar_subquery()
    )
    made = 0
    async with runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        rows = await session.execute(
            select(Account, last_session, last_cancel)
            .where(
                Account.kind == AccountKind.CANDIDAT,
                Account.identifiant.is_not(None),  # not an erased account
                Account.created_at <= since,
                ~signed_in,
                ~cancelled,
                ~pending,
            )
            .order_by(Account.id)
            .limit(BATCH)
        )
        for account, *seen in rows.all():
            last = max([account.created_at, *(at for at in seen if at is not None)])
            due = max(last + period, now + notice)
            await schedule(session, runtime, account, ErasureReason.INACTIVE, now, due)
            made += 1
    return made


async def anonymize_refused(runtime: Runtime, now: datetime) -> int:
    """Refused applications, ``refused_application_days`` after the refusal: the employer
    sees « candidat supprimé », without message, CV or history messages."""
    since = now - timedelta(days=runtime.settings.refused_application_days)
    async with runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        ids = select(Application.id).where(
            Application.status == ApplicationStatus.REFUSED,
            Application.anonymized_at.is_(None),
            Application.updated_at <= since,
        )
        await session.execute(
            update(ApplicationChange)
            .where(ApplicationChange.application_id.in_(ids))
            .values(message=None)
        )
        done = await session.execute(
            update(Application)
            .where(Application.id.in_(ids))
            .values(message=ERASED_LABEL, cv_id=None, anonymized_at=now)
        )
    return int(getattr(done, "rowcount", 0) or 0)


async def unlink_expired_offers(runtime: Runtime, now: datetime) -> int:
    """Closed offers, ``expired_offer_links_days`` after closing: who saved them, which
    alerts matched them, and the recruiter's contact are removed."""
    since = now - timedelta(days=runtime.settings.expired_offer_links_days)
    old = select(Offer.id).where(
        Offer.status == OfferStatus.CLOSED, Offer.closed_at.is_not(None), Offer.closed_at <= since
    )
    async with runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        await session.execute(delete(SavedOffer).where(SavedOffer.offer_id.in_(old)))
        await session.execute(delete(AlertMatch).where(AlertMatch.offer_id.in_(old)))
        done = await session.execute(
            update(Offer).where(Offer.id.in_(old), Offer.contact.is_not(None)).values(contact=None)
        )
    return int(getattr(done, "rowcount", 0) or 0)


async def purge_kept_payments(runtime: Runtime, now: datetime) -> int:
    """The payments kept for erased accounts, once the legal period has passed."""
    years = runtime.settings.erased_payments_years
    before = (now - timedelta(days=round(365.25 * years))).date()
    erased = exists().where(
        and_(ErasureRequest.account_id == Payment.account_id, ErasureRequest.done_at.is_not(None))
    )
    async with runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        done = await session.execute(delete(Payment).where(erased, Payment.paid_on < before))
    return int(getattr(done, "rowcount", 0) or 0)


async def run_retention(runtime: Runtime, now: datetime) -> dict[str, int]:
    """The daily retention job (the erasures themselves are ``resolvers.erasure.job``)."""
    report = {
        "notified": await notify_inactive(runtime, now),
        "refused_anonymized": await anonymize_refused(runtime, now),
        "offers_unlinked": await unlink_expired_offers(runtime, now),
        "payments_purged": await purge_kept_payments(runtime, now),
    }
    runtime.mailer.wake()
    return report
