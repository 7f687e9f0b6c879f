"""CVs of a candidat: create, update, delete, publish, and the reads behind the schema.

Only candidats have CVs, in their own dossiers. Another account's CV is "not found", never
"forbidden". Who may read a CV is ``audience``'s answer: its owner, or an employer once it
is published (named or anonymous); ``resolvers.cvs.files`` handles the attached file.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.cvs import Cv, CvEducation, CvExperience, CvVisibility
from models.dashboard import EventKind
from models.dossiers import Dossier
from models.identity import Account, AccountKind
from refdata import ReferenceData
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.cvs.fields import CvInput
from resolvers.cvs.form import CvValues, check_cv
from resolvers.dashboard.events import record_event
from resolvers.dossiers.manage import owned_dossier
from resolvers.offers.text import stem_text

SUBJECT = "cv"
MAX_ID = 2**63 - 1
MAX_PER_DOSSIER = 10
STATUS_LABELS = {
    CvVisibility.PRIVATE: "rendu privé",
    CvVisibility.PUBLISHED: "publié avec vos nom et coordonnées",
    CvVisibility.ANONYMOUS: "publié anonymement",
}
ALL_FIELDS = frozenset(
    {
        "title",
        "romeCode",
        "appellationCode",
        "summary",
        "experiences",
        "educations",
        "skills",
        "languages",
        "drivingLicences",
    }
)


class Audience(StrEnum):
    """Who reads a CV: its owner, or an employer (named or anonymous CV)."""

    OWNER = "OWNER"
    EMPLOYER = "EMPLOYER"
    EMPLOYER_ANONYMOUS = "EMPLOYER_ANONYMOUS"


def audience(cv: Cv, account: Account | None) -> Audience | None:
    """How ``account`` may see ``cv``; None: not at all (then it is "not found")."""
    if account is None:
        return None
    if cv.account_id == account.id:
        return Audience.OWNER
    if account.kind != AccountKind.EMPLOYEUR:
        return None
    if cv.visibility == CvVisibility.PUBLISHED:
        return Audience.EMPLOYER
    if cv.visibility == CvVisibility.ANONYMOUS:
        return Audience.EMPLOYER_ANONYMOUS
    return None


def require_candidat(account: Account) -> None:
    if account.kind != AccountKind.CANDIDAT:
        raise DomainError.single(
            None, ErrorCode.WRONG_ACCOUNT_KIND, "Seuls les candidats ont des CV."
        )


def not_found() -> DomainError:
    return DomainError.single("id", ErrorCode.NOT_FOUND, "Ce CV est introuvable.")


async def owned_cv(session: AsyncSession, account_id: int, cv_id: int) -> Cv:
    """The account's CV, or NOT_FOUND (also for another account's CV)."""
    row = await session.scalar(
        select(Cv).where(Cv.id == min(max(cv_id, 0), MAX_ID), Cv.account_id == account_id)
    )
    if row is None:
        raise not_found()
    return row


async def create_cv(
    session: AsyncSession,
    ref: ReferenceData,
    account: Account,
    dossier_id: int,
    data: CvInput,
    today: date,
) -> Cv:
    """A new private CV in one of the account's dossiers."""
    require_candidat(account)
    dossier = await owned_dossier(session, account.id, dossier_id, "dossierId")
    values = check_cv(ref, replace(data, given=ALL_FIELDS), today)
    count = await session.scalar(
        select(func.count()).select_from(Cv).where(Cv.dossier_id == dossier.id)
    )
    if (count or 0) >= MAX_PER_DOSSIER:
        raise DomainError.single(
            "dossierId", ErrorCode.TOO_LONG, f"{MAX_PER_DOSSIER} CV par dossier au plus."
        )
    cv = Cv(
        account_id=account.id,
        dossier_id=dossier.id,
        visibility=CvVisibility.PRIVATE.value,
        **values.columns,
    )
    session.add(cv)
    await session.flush()
    await _replace_items(session, cv, values)
    await _refresh_search_text(session, cv)
    await record_event(
        session, account.id, EventKind.CV_CREATED, _payload(cv, dossier), SUBJECT, cv.id
    )
    return cv


async def update_cv(
    session: AsyncSession,
    ref: ReferenceData,
    account: Account,
    cv_id: int,
    data: CvInput,
    today: date,
) -> Cv:
    """Change the fields sent (``data.given``); lists sent replace the old ones."""
    require_candidat(account)
    cv = await owned_cv(session, account.id, cv_id)
    values = check_cv(ref, data, today)
    for name, value in values.columns.items():
        setattr(cv, name, value)
    cv.updated_at = utcnow()
    await _replace_items(session, cv, values)
    await _refresh_search_text(session, cv)
    await record_event(
        session, account.id, EventKind.CV_UPDATED, {"name": cv.title}, SUBJECT, cv.id
    )
    return cv


async def delete_cv(session: AsyncSession, account: Account, cv_id: int) -> tuple[int, str | None]:
    """Delete the CV; returns its id and the storage key of its file (to delete after the
    commit)."""
    require_candidat(account)
    cv = await owned_cv(session, account.id, cv_id)
    key = cv.file_key
    await record_event(
        session, account.id, EventKind.CV_DELETED, {"name": cv.title}, SUBJECT, cv.id
    )
    await session.delete(cv)
    await session.flush()
    return cv_id, key


async def publish_cv(
    session: AsyncSession, account: Account, cv_id: int, visibility: CvVisibility
) -> Cv:
    """Make the CV private, or let employers find it with the candidat's name or without."""
    require_candidat(account)
    cv = await owned_cv(session, account.id, cv_id)
    if cv.visibility == visibility.value:
        return cv
    was_private = cv.visibility == CvVisibility.PRIVATE
    cv.visibility = visibility.value
    cv.updated_at = utcnow()
    if visibility == CvVisibility.PRIVATE:
        cv.published_at = None
        kind = EventKind.CV_UNPUBLISHED
    else:
        if was_private:
            cv.published_at = utcnow()
        kind = EventKind.CV_PUBLISHED
    await session.flush()
    payload = {
        "name": cv.title,
        "visibility": visibility.value,
        "statusLabel": STATUS_LABELS[visibility],
    }
    await record_event(session, account.id, kind, payload, SUBJECT, cv.id)
    return cv


def _payload(cv: Cv, dossier: Dossier) -> dict[str, Any]:
    return {"name": cv.title, "dossierName": dossier.name}


async def _replace_items(session: AsyncSession, cv: Cv, values: CvValues) -> None:
    if values.experiences is not None:
        await session.execute(delete(CvExperience).where(CvExperience.cv_id == cv.id))
        session.add_all(CvExperience(cv_id=cv.id, **item) for item in values.experiences)
    if values.educations is not None:
        await session.execute(delete(CvEducation).where(CvEducation.cv_id == cv.id))
        session.add_all(CvEducation(cv_id=cv.id, **item) for item in values.educations)
    await session.flush()


async def _refresh_search_text(session: AsyncSession, cv: Cv) -> None:
    """The CV's words for the keyword search (its content only: no name, no contact)."""
    experiences = (
        await session.scalars(select(CvExperience).where(CvExperience.cv_id == cv.id))
    ).all()
    educations = (
        await session.scalars(select(CvEducation).where(CvEducation.cv_id == cv.id))
    ).all()
    texts: list[str | None] = [cv.title, cv.metier_libelle, cv.summary, *cv.skills]
    texts += [language["language"] for language in cv.languages]
    for e in experiences:
        texts += [e.job, e.employer, e.description]
    for d in educations:
        texts += [d.diploma, d.domain]
    cv.search_text = f" {stem_text(*texts)} "
    await session.flush()
