"""What a declared change does to the registration and the contact details, in the
declaration's transaction (the rules are in ``resolvers.situation.rules``).

Each function changes the rows and returns the facts the change keeps in its ``effects``
(what was before and after), so the history shows what the declaration did.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.dossiers import Agency, Dossier
from models.identity import Account, AccountKind
from models.registration import Registration, RegistrationChange, RegistrationState
from models.situation import ContractKind, SituationKind
from resolvers.registration.manage import CATEGORIES, agency_for_postal_code
from resolvers.situation.form import CheckedChange
from resolvers.situation.rules import CATEGORY_NOT_AVAILABLE, work_outcome


async def apply_effects(
    session: AsyncSession,
    account: Account,
    registration: Registration,
    change: CheckedChange,
    now: datetime,
) -> dict[str, Any]:
    """Apply the change to the registration (and, for a move, the contact details)."""
    before = registration.category
    effects: dict[str, Any] = {"categoryBefore": before, "categoryAfter": before}
    if change.kind == SituationKind.WORK_RESUMED:
        d = change.details
        outcome = work_outcome(ContractKind(d["contractType"]), int(d["weeklyHours"]), before)
        if outcome.ceases:
            _cease(session, registration, change.start, now)
            effects["registrationState"] = RegistrationState.CESSATION_INSCRIPTION.value
            effects["fullTimeFrom"] = change.start.isoformat()
        registration.category = outcome.category
    elif change.kind == SituationKind.TRAINING:
        registration.category = CATEGORY_NOT_AVAILABLE
    elif change.kind == SituationKind.MOVE:
        effects |= await _move(session, account, registration, change.details)
    effects["categoryAfter"] = registration.category
    effects["categoryLabel"] = CATEGORIES.get(registration.category, "")
    effects.setdefault("registrationState", registration.state)
    registration.updated_at = now
    return effects


def _cease(session: AsyncSession, registration: Registration, on: date, now: datetime) -> None:
    registration.state = RegistrationState.CESSATION_INSCRIPTION.value
    session.add(
        RegistrationChange(
            account_id=registration.account_id,
            state=RegistrationState.CESSATION_INSCRIPTION.value,
            effective_on=on,
            reason="REPRISE_EMPLOI",
            at=now,
        )
    )


async def _move(
    session: AsyncSession, account: Account, registration: Registration, d: dict[str, Any]
) -> dict[str, Any]:
    """New address on every dossier of the candidat, the home postal code, and the agency of
    the new commune (as at sign-up) when there is one and it is another agency."""
    await session.execute(
        update(Dossier)
        .where(Dossier.account_id == account.id)
        .values(
            pays="FR",
            adresse=d["adresse"],
            complement1=d["complement1"],
            complement2=d["complement2"],
            postal_code=d["postalCode"],
            commune_insee=d["communeInsee"],
            commune_name=d["communeName"],
            acheminement=None,
        )
        .execution_options(synchronize_session=False)
    )
    account.postal_code = d["postalCode"]
    before = registration.agency_id
    found = await agency_for_postal_code(session, d["postalCode"])
    effects: dict[str, Any] = {"agencyBefore": before, "agencyAfter": before}
    if found is None or found == before:
        return effects
    registration.agency_id = found
    registration.adviser_id = await session.scalar(
        select(Account.id)
        .where(Account.kind == AccountKind.CONSEILLER, Account.agency_id == found)
        .order_by(Account.id)
        .limit(1)
    )
    await session.execute(
        update(Dossier)
        .where(Dossier.account_id == account.id, Dossier.registered.is_(True))
        .values(agency_id=found)
        .execution_options(synchronize_session=False)
    )
    effects["agencyAfter"] = found
    effects["agencyName"] = await session.scalar(select(Agency.name).where(Agency.id == found))
    return effects
