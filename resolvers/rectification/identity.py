"""``identityRectify``: the candidat (or an adviser of their agency) corrects civilité, nom
and prénom. Civil status is one per person, so every dossier of the candidat changes at
once, each change in the audit trail, all in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.dashboard import EventKind
from models.dossiers import Dossier
from models.identity import Account, AccountKind
from resolvers.core.candidats import candidat_of_agency
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.core.validation import clean_text
from resolvers.dashboard.events import record_event
from resolvers.dossiers.fields import Civilite
from resolvers.rectification.audit import Change, ChangedBy, record_changes

IDENTITY_FIELDS = ("civilite", "nom", "prenom")


@dataclass(frozen=True, slots=True)
class Identity:
    """Civilité, nom and prénom as the candidat's dossiers now hold them."""

    account_id: int
    civilite: Civilite
    nom: str
    prenom: str
    dossiers: int  # how many dossiers carry them
    changed: tuple[str, ...]  # the fields that changed (API names); empty: nothing to do


@dataclass(frozen=True, slots=True)
class _Values:
    civilite: str
    nom: str
    prenom: str


async def _candidat(session: AsyncSession, by: Account, identifiant: str | None) -> Account:
    if by.kind == AccountKind.CONSEILLER:
        if not (identifiant or "").strip():
            raise DomainError.single(
                "identifiant", ErrorCode.REQUIRED, "Indiquez l'identifiant du candidat."
            )
        candidat, _ = await candidat_of_agency(session, by, identifiant)
        return candidat
    if by.kind != AccountKind.CANDIDAT:
        raise DomainError.single(
            None,
            ErrorCode.WRONG_ACCOUNT_KIND,
            "Seuls le candidat et les conseillers de son agence peuvent rectifier son identité.",
        )
    if identifiant is not None and identifiant.strip().upper() != by.identifiant:
        raise DomainError.single(
            "identifiant", ErrorCode.NOT_FOUND, "Vous ne pouvez rectifier que votre identité."
        )
    return by


def _check(civilite: Civilite | None, nom: str | None, prenom: str | None) -> _Values:
    errors = ErrorCollector()
    if civilite is None:
        errors.add("civilite", ErrorCode.REQUIRED, "Indiquez la civilité.")
    checked_nom = clean_text(errors, "nom", nom, label="Nom", max_len=100, required=True)
    checked_prenom = clean_text(
        errors, "prenom", prenom, label="Prénom", max_len=100, required=True
    )
    errors.raise_if_any()
    assert civilite is not None and checked_nom and checked_prenom
    return _Values(civilite.value, checked_nom, checked_prenom)


async def rectify_identity(
    session: AsyncSession,
    by: Account,
    identifiant: str | None,
    civilite: Civilite | None,
    nom: str | None,
    prenom: str | None,
    now: datetime,
) -> Identity:
    """Set civilité, nom and prénom on every dossier of the candidat (the signed-in candidat,
    or the one an adviser of their agency names); NOT_FOUND for another agency's candidat
    and for a candidat without a dossier."""
    values = _check(civilite, nom, prenom)
    candidat = await _candidat(session, by, identifiant)
    stmt = select(Dossier).where(Dossier.account_id == candidat.id).order_by(Dossier.id)
    dossiers = (await session.scalars(stmt.with_for_update())).all()
    if not dossiers:
        raise DomainError.single(
            None, ErrorCode.NOT_FOUND, "Aucun dossier ne porte encore cette identité."
        )
    changed: set[str] = set()
    who = ChangedBy.of(by)
    for dossier in dossiers:
        found: list[Change] = [
            (f, getattr(dossier, f), getattr(values, f))
            for f in IDENTITY_FIELDS
            if getattr(dossier, f) != getattr(values, f)
        ]
        if not found:
            continue
        changed.update(field for field, _, _ in found)
        dossier.civilite, dossier.nom, dossier.prenom = values.civilite, values.nom, values.prenom
        await record_changes(
            session, candidat.id, who, "dossier", dossier.id, found, now, dossier.name
        )
        await record_event(
            session,
            candidat.id,
            EventKind.DOSSIER_UPDATED,
            {"name": dossier.name, "changed": sorted(f for f, _, _ in found)},
            subject_type="dossier",
            subject_id=dossier.id,
        )
    await session.flush()
    return Identity(
        account_id=candidat.id,
        civilite=Civilite(values.civilite),
        nom=values.nom,
        prenom=values.prenom,
        dossiers=len(dossiers),
        changed=tuple(f for f in IDENTITY_FIELDS if f in changed),
    )
