"""The dossier form: check every field at once and produce the values to store."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.dossiers import Agency, Dossier
from refdata import ReferenceData
from resolvers.core.errors import ErrorCode, ErrorCollector
from resolvers.core.validation import (
    Locality,
    check_birth_date,
    check_email,
    check_foreign_locality,
    check_french_locality,
    check_identifiant,
    check_phone,
    clean_text,
    require,
    required_message,
)
from resolvers.dossiers.fields import Civilite, Country, DossierInput, Qualification, Situation

NAME_MAX = 60


@dataclass(frozen=True, slots=True)
class DossierValues:
    """Checked values, named like the columns of ``models.dossiers.Dossier``."""

    name: str
    civilite: str
    nom: str
    prenom: str
    pays: str
    adresse: str
    complement1: str | None
    complement2: str | None
    postal_code: str
    commune_insee: str | None
    commune_name: str
    acheminement: str | None
    phone_mobile: str | None
    phone_fixe: str | None
    email: str | None
    registered: bool
    registered_identifiant: str | None
    agency_id: int | None
    birth_date: date
    situation: str
    qualification: int

    def apply(self, dossier: Dossier) -> None:
        for key, value in asdict(self).items():
            setattr(dossier, key, value)


def input_from_row(row: Dossier) -> DossierInput:
    """The stored dossier as form input, so that an update re-checks the whole dossier."""
    abroad = row.pays != Country.FRANCE.value
    return DossierInput(
        name=row.name,
        civilite=Civilite(row.civilite),
        nom=row.nom,
        prenom=row.prenom,
        pays=Country(row.pays),
        adresse=row.adresse,
        complement_adresse1=row.complement1,
        complement_adresse2=row.complement2,
        postal_code=row.postal_code,
        commune_insee=None if abroad else row.commune_insee,
        commune_name=row.commune_name if abroad else None,
        acheminement=row.acheminement,
        phone_mobile=row.phone_mobile,
        phone_fixe=row.phone_fixe,
        email=row.email,
        inscrit_pole_emploi=row.registered,
        identifiant_pole_emploi=row.registered_identifiant,
        agency_id=row.agency_id,
        birth_date=row.birth_date,
        situation=Situation(row.situation),
        qualification=Qualification(row.qualification),
    )


def merge_update(current: DossierInput, changes: dict[str, Any]) -> DossierInput:
    """Apply the fields an update gives; fields that depend on a changed one are reset."""
    values = asdict(current) | changes
    if ("pays" in changes or "postal_code" in changes) and "commune_insee" not in changes:
        # A new address chooses its commune again (a one-commune postal code fills it).
        values["commune_insee"] = None
    if "pays" in changes and "commune_name" not in changes:
        values["commune_name"] = None
    if changes.get("inscrit_pole_emploi") is False:
        for key in ("identifiant_pole_emploi", "agency_id"):
            if key not in changes:
                values[key] = None
    return DossierInput(**values)


async def check_form(
    session: AsyncSession,
    refdata: ReferenceData,
    errors: ErrorCollector,
    account_id: int,
    data: DossierInput,
    today: date,
    dossier_id: int | None = None,
) -> DossierValues | None:
    """Check every field; errors go to ``errors``; values come back only when all is well."""
    name = clean_text(
        errors, "name", data.name, label="Nom du dossier", max_len=NAME_MAX, required=True
    )
    if name is not None and await _name_taken(session, account_id, name, dossier_id):
        errors.add(
            "name",
            ErrorCode.DUPLICATE,
            f"Vous avez déjà un dossier nommé « {name} » : choisissez un autre nom.",
        )
    civilite = require(errors, "civilite", data.civilite, label="Civilité")
    nom = clean_text(errors, "nom", data.nom, label="Nom", max_len=100, required=True)
    prenom = clean_text(errors, "prenom", data.prenom, label="Prénom", max_len=100, required=True)
    pays = data.pays or Country.FRANCE
    adresse = clean_text(
        errors, "adresse", data.adresse, label="Adresse (n° et rue)", max_len=200, required=True
    )
    complement1 = clean_text(
        errors, "complementAdresse1", data.complement_adresse1, label="Complément", max_len=100
    )
    complement2 = clean_text(
        errors, "complementAdresse2", data.complement_adresse2, label="Complément", max_len=100
    )
    locality = _check_locality(errors, refdata, pays, data)
    acheminement = clean_text(
        errors, "acheminement", data.acheminement, label="Acheminement postal", max_len=100
    )
    region = pays.value
    mobile = check_phone(errors, "phoneMobile", data.phone_mobile, mobile=True, region=region)
    fixe = check_phone(errors, "phoneFixe", data.phone_fixe, mobile=False, region=region)
    email = check_email(errors, "email", data.email)
    registered = data.inscrit_pole_emploi
    if registered is None:
        errors.add(
            "inscritPoleEmploi", ErrorCode.REQUIRED, required_message("Inscrit(e) à Pôle emploi")
        )
    identifiant, agency_id = await _check_registration(session, errors, data)
    birth_date = check_birth_date(errors, "birthDate", data.birth_date, today)
    situation = require(errors, "situation", data.situation, label="Situation professionnelle")
    qualification = require(errors, "qualification", data.qualification, label="Qualification")
    if errors.errors:
        return None
    assert name and civilite and nom and prenom and adresse and locality and birth_date
    assert registered is not None and situation is not None and qualification is not None
    return DossierValues(
        name=name,
        civilite=civilite.value,
        nom=nom,
        prenom=prenom,
        pays=pays.value,
        adresse=adresse,
        complement1=complement1,
        complement2=complement2,
        postal_code=locality.postal_code,
        commune_insee=locality.commune_insee,
        commune_name=locality.commune_name,
        acheminement=acheminement,
        phone_mobile=mobile,
        phone_fixe=fixe,
        email=email,
        registered=registered,
        registered_identifiant=identifiant,
        agency_id=agency_id,
        birth_date=birth_date,
        situation=situation.value,
        qualification=int(qualification),
    )


def _check_locality(
    errors: ErrorCollector, refdata: ReferenceData, pays: Country, data: DossierInput
) -> Locality | None:
    if pays is not Country.FRANCE:
        return check_foreign_locality(
            errors, data.postal_code, data.commune_insee, data.commune_name
        )
    if data.commune_name is not None and data.commune_name.strip():
        errors.add(
            "communeName",
            ErrorCode.INVALID,
            "En France, la commune se choisit par son code INSEE parmi celles du code postal.",
        )
    return check_french_locality(errors, refdata, data.postal_code, data.commune_insee)


async def _check_registration(
    session: AsyncSession, errors: ErrorCollector, data: DossierInput
) -> tuple[str | None, int | None]:
    """Inscrit(e) : the identifiant and the agency are then required, otherwise refused."""
    given_identifiant = data.identifiant_pole_emploi is not None and bool(
        data.identifiant_pole_emploi.strip()
    )
    if not data.inscrit_pole_emploi:
        if data.inscrit_pole_emploi is False and given_identifiant:
            errors.add(
                "identifiantPoleEmploi",
                ErrorCode.INVALID,
                "L'identifiant ne se renseigne que si vous êtes inscrit(e) à Pôle emploi.",
            )
        if data.inscrit_pole_emploi is False and data.agency_id is not None:
            errors.add(
                "agencyId",
                ErrorCode.INVALID,
                "L'agence ne se renseigne que si vous êtes inscrit(e) à Pôle emploi.",
            )
        return None, None
    identifiant = check_identifiant(errors, "identifiantPoleEmploi", data.identifiant_pole_emploi)
    if data.agency_id is None:
        errors.add("agencyId", ErrorCode.REQUIRED, required_message("Mon agence Pôle emploi"))
        return identifiant, None
    if await session.get(Agency, data.agency_id) is None:
        errors.add("agencyId", ErrorCode.NOT_FOUND, "Cette agence est introuvable.")
        return identifiant, None
    return identifiant, data.agency_id


async def _name_taken(
    session: AsyncSession, account_id: int, name: str, dossier_id: int | None
) -> bool:
    # Few dossiers per candidat: compare case-insensitively here (the unique
    # constraint on the exact name backs this up under concurrency).
    stmt = select(Dossier.id, Dossier.name).where(Dossier.account_id == account_id)
    wanted = name.casefold()
    return any(
        other_name.casefold() == wanted and other_id != dossier_id
        for other_id, other_name in (await session.execute(stmt)).all()
    )
