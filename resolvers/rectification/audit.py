"""The audit trail of personal-data changes: who (the candidat, an adviser, or a mailed link),
when, which field, old → new. Every mutation that rectifies personal data writes here in its
own transaction, so the trail holds exactly the changes that were committed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from models.dossiers import Dossier
from models.identity import Account, AccountKind
from models.privacy_log import ChangeActor, PersonalDataChange

VALUE_MAX = 254

# Dossier columns that are personal data, with the name the API gives them.
DOSSIER_FIELDS: dict[str, str] = {
    "civilite": "civilite",
    "nom": "nom",
    "prenom": "prenom",
    "birth_date": "birthDate",
    "pays": "pays",
    "adresse": "adresse",
    "complement1": "complementAdresse1",
    "complement2": "complementAdresse2",
    "postal_code": "postalCode",
    "commune_name": "communeName",
    "phone_mobile": "phoneMobile",
    "phone_fixe": "phoneFixe",
    "email": "email",
}

LABELS: dict[str, str] = {
    "civilite": "Civilité",
    "nom": "Nom",
    "prenom": "Prénom",
    "birthDate": "Date de naissance",
    "pays": "Pays",
    "adresse": "Adresse",
    "complementAdresse1": "Complément d'adresse",
    "complementAdresse2": "Complément d'adresse (suite)",
    "postalCode": "Code postal",
    "communeName": "Commune",
    "phoneMobile": "Téléphone portable",
    "phoneFixe": "Téléphone fixe",
    "email": "Adresse électronique",
    "iban": "IBAN (compte de paiement)",
    "bic": "BIC",
    "holder": "Titulaire du compte",
}


@dataclass(frozen=True, slots=True)
class ChangedBy:
    """Who made a change: the kind, and the account when there is one."""

    actor: ChangeActor
    account_id: int | None = None

    @classmethod
    def of(cls, account: Account) -> ChangedBy:
        kind = ChangeActor.CONSEILLER if account.kind == AccountKind.CONSEILLER else None
        return cls(kind or ChangeActor.CANDIDAT, account.id)


LINK = ChangedBy(ChangeActor.LINK)

Change = tuple[str, str | None, str | None]  # field (API name), old value, new value


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    text = value.isoformat() if isinstance(value, date) else str(value)
    return text[:VALUE_MAX]


def dossier_changes(dossier: Dossier, new: Any) -> list[Change]:
    """The personal fields whose value differs between the stored dossier and ``new`` (any
    object with the dossier's column names, e.g. ``DossierValues``)."""
    found = []
    for column, name in DOSSIER_FIELDS.items():
        old, value = _text(getattr(dossier, column)), _text(getattr(new, column))
        if old != value:
            found.append((name, old, value))
    return found


async def record_changes(
    session: AsyncSession,
    account_id: int,
    by: ChangedBy,
    subject: str,
    subject_id: int | None,
    changes: Sequence[Change],
    at: datetime,
    subject_name: str | None = None,
) -> None:
    """One row per changed field, in one INSERT, in the caller's transaction."""
    if not changes:
        return
    rows = [
        {
            "account_id": account_id,
            "actor": by.actor.value,
            "actor_id": by.account_id,
            "subject": subject,
            "subject_id": subject_id,
            "subject_name": (subject_name or None) and subject_name[:60],
            "field": field,
            "old_value": old,
            "new_value": new,
            "at": at,
        }
        for field, old, new in changes
    ]
    await session.execute(insert(PersonalDataChange), rows)
