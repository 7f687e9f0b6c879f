"""Job-search dossiers (DRE) of a candidat: create, update, delete, list.

Only candidats have dossiers. A dossier of another account is "not found", never
"forbidden". Every change leaves an event in the same transaction, and a new or
changed e-mail address sends the confirmation mail (``resolvers.dossiers.email_confirmation``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.base import utcnow
from models.dashboard import EventKind
from models.dossiers import Dossier
from models.identity import Account, AccountKind
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.core.owners import owned_by
from resolvers.core.page_union import Param
from resolvers.dashboard.events import record_event
from resolvers.dossiers import email_confirmation
from resolvers.dossiers.fields import FIELD, INPUT_FIELDS, DossierInput
from resolvers.dossiers.form import DossierValues, check_form, input_from_row, merge_update
from resolvers.identity.credentials import set_secret_question
from resolvers.rectification.audit import ChangedBy, dossier_changes, record_changes

SUBJECT = "dossier"
MAX_ID = 2**63 - 1


def require_candidat(account: Account) -> None:
    if account.kind != AccountKind.CANDIDAT:
        raise DomainError.single(
            None,
            ErrorCode.WRONG_ACCOUNT_KIND,
            "Seuls les candidats ont des dossiers de recherche d'emploi.",
        )


def not_found(field: str) -> DomainError:
    return DomainError.single(field, ErrorCode.NOT_FOUND, "Ce dossier est introuvable.")


async def owned_dossier(
    session: AsyncSession, account_id: int, dossier_id: int, field: str, for_update: bool = False
) -> Dossier:
    """The account's dossier, or NOT_FOUND (also for another account's dossier)."""
    stmt = select(Dossier).where(Dossier.id == dossier_id, Dossier.account_id == account_id)
    if for_update:
        stmt = stmt.with_for_update()
    dossier = await session.scalar(stmt)
    if dossier is None:
        raise not_found(field)
    return dossier


async def create_dossier(
    session: AsyncSession, runtime: Runtime, account: Account, data: DossierInput
) -> Dossier:
    """Check the whole form, store the dossier, and send the confirmation mail if needed."""
    require_candidat(account)
    errors = ErrorCollector()
    values = await check_form(session, runtime.refdata, errors, account.id, data, utcnow().date())
    await apply_secret_question(session, runtime, account.id, data, errors)
    errors.raise_if_any()
    assert values is not None
    dossier = Dossier(account_id=account.id)
    values.apply(dossier)
    session.add(dossier)
    await _flush(session)
    if dossier.email is not None:
        await email_confirmation.send_confirmation(session, runtime, dossier)
    await record_event(
        session,
        account.id,
        EventKind.DOSSIER_CREATED,
        {"name": dossier.name},
        subject_type=SUBJECT,
        subject_id=dossier.id,
    )
    return dossier


async def update_dossier(
    session: AsyncSession,
    runtime: Runtime,
    account: Account,
    dossier_id: int,
    changes: dict[str, Any],
) -> Dossier:
    """Change the given fields (the others stay); the whole dossier is checked again.

    A new or removed e-mail address is unconfirmed until its new mail's link is used.
    """
    require_candidat(account)
    unknown = set(changes) - INPUT_FIELDS
    assert not unknown, unknown
    dossier = await owned_dossier(session, account.id, dossier_id, "id", for_update=True)
    data = merge_update(input_from_row(dossier), changes)
    errors = ErrorCollector()
    values = await check_form(
        session, runtime.refdata, errors, account.id, data, utcnow().date(), dossier.id
    )
    await apply_secret_question(session, runtime, account.id, data, errors)
    errors.raise_if_any()
    assert values is not None
    changed = _changed_fields(dossier, values)
    email_changed = values.email != dossier.email
    audited = dossier_changes(dossier, values)
    values.apply(dossier)
    await record_changes(
        session,
        account.id,
        ChangedBy.of(account),
        SUBJECT,
        dossier.id,
        audited,
        runtime.clock.now(),
        dossier.name,
    )
    if email_changed:
        dossier.email_confirmed_at = None
        await email_confirmation.expire_pending(session, dossier.id)
    await _flush(session)
    if email_changed and dossier.email is not None:
        await email_confirmation.send_confirmation(session, runtime, dossier)
    if changed:
        await record_event(
            session,
            account.id,
            EventKind.DOSSIER_UPDATED,
            {"name": dossier.name, "changed": changed},
            subject_type=SUBJECT,
            subject_id=dossier.id,
        )
    return dossier


async def delete_dossier(session: AsyncSession, account: Account, dossier_id: int) -> int:
    """Delete the dossier (its confirmation links go with it); returns its id."""
    require_candidat(account)
    dossier = await owned_dossier(session, account.id, dossier_id, "id", for_update=True)
    name = dossier.name
    await session.delete(dossier)
    await session.flush()
    await record_event(
        session,
        account.id,
        EventKind.DOSSIER_DELETED,
        {"name": name},
        subject_type=SUBJECT,
        subject_id=dossier_id,
    )
    return dossier_id


async def resend_email_confirmation(
    session: AsyncSession, runtime: Runtime, account: Account, dossier_id: int
) -> Dossier:
    require_candidat(account)
    dossier = await owned_dossier(session, account.id, dossier_id, "dossierId", for_update=True)
    await email_confirmation.resend_confirmation(session, runtime, dossier)
    return dossier


def dossiers_select(account_id: Param, after_id: Param | None) -> Select[Dossier]:
    """The account's dossiers after ``after_id`` (unordered: callers page it by id)."""
    stmt = select(Dossier).where(owned_by(Dossier, account_id))
    if after_id is not None:
        stmt = stmt.where(Dossier.id > after_id)
    return stmt


async def list_dossiers(
    session: AsyncSession, account_id: int, after_id: int | None, limit: int
) -> tuple[Sequence[Dossier], bool]:
    """One page of the account's dossiers, oldest first, and whether more follow."""
    if after_id is not None and after_id >= MAX_ID:
        return [], False
    stmt = dossiers_select(account_id, after_id)
    rows = (await session.scalars(stmt.order_by(Dossier.id).limit(limit + 1))).all()
    return rows[:limit], len(rows) > limit


async def dossiers_by_ids(
    session: AsyncSession, account_id: int, ids: Sequence[int]
) -> dict[int, Dossier]:
    """The account's dossiers among ``ids`` (others are simply absent)."""
    if not ids:
        return {}
    stmt = select(Dossier).where(Dossier.id.in_(ids), Dossier.account_id == account_id)
    return {d.id: d for d in (await session.scalars(stmt)).all()}


async def apply_secret_question(
    session: AsyncSession,
    runtime: Runtime,
    account_id: int,
    data: DossierInput,
    errors: ErrorCollector,
) -> None:
    """The form may set the account's secret question, once (SECRET_QUESTION_ALREADY_SET
    afterwards: it is never silently dropped nor replaced from here)."""
    if not (data.secret_question or "").strip() and not (data.secret_answer or "").strip():
        return
    account = await session.get(Account, account_id)
    assert account is not None
    try:
        await set_secret_question(
            session,
            runtime,
            account,
            data.secret_question,
            data.secret_answer,
            question_field="secretQuestion",
            answer_field="secretAnswer",
        )
    except DomainError as exc:
        errors.errors.extend(exc.errors)


def _changed_fields(dossier: Dossier, values: DossierValues) -> list[str]:
    column_to_field = {
        "complement1": "complement_adresse1",
        "complement2": "complement_adresse2",
        "registered": "inscrit_pole_emploi",
        "registered_identifiant": "identifiant_pole_emploi",
    }
    changed = []
    for column in (f.name for f in fields(DossierValues)):
        if getattr(dossier, column) != getattr(values, column):
            name = column_to_field.get(column, column)
            changed.append(FIELD.get(name, name))
    return changed


async def _flush(session: AsyncSession) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        # Two concurrent requests gave the same name; the unique constraint decided.
        raise DomainError.single(
            "name", ErrorCode.DUPLICATE, "Vous avez déjà un dossier portant ce nom."
        ) from exc
