"""France Travail's "Offres d'emploi v2" JSON: one record to checked offer values, and back.

Import reads the fields FT v2 fills (labels included: the salary, the contract length, the
experience and the working time are parsed from their ``libelle``); export writes the same
shape, so that an export imports again unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from refdata import ReferenceData, normalize
from resolvers.core.errors import ErrorCode, ErrorCollector
from resolvers.dossiers.fields import Qualification
from resolvers.offers.fields import (
    DUREE_TRAVAIL_LABELS,
    FIXED_TERM,
    NATURE_CONTRAT_LABELS,
    NIVEAU_FORMATION_LABELS,
    Exigence,
    ExperienceExige,
    SalaryPeriod,
    TypeContrat,
)
from resolvers.offers.form import OfferValues, check_offer
from resolvers.offers.input import (
    ContactInput,
    FormationInput,
    OfferInput,
    RequirementInput,
    SalaryInput,
)
from resolvers.offers.reference import Place, offer_reference

ORIGINS = {"1": "FT", "2": "PARTENAIRE"}  # FT v2 origineOffre.origine codes
ORIGIN_CODES = {name: code for code, name in ORIGINS.items()}
_SALARY = re.compile(
    r"(Horaire|Mensuel|Annuel) de ([0-9][0-9 .,]*?) Euros(?: à ([0-9][0-9 .,]*?) Euros)?",
    re.IGNORECASE,
)
_PERIODS = {"horaire": SalaryPeriod.HOURLY, "mensuel": SalaryPeriod.MONTHLY}
_MONTHS = re.compile(r"([0-9]+) *(Mois|An)", re.IGNORECASE)
_HOURS = re.compile(r"^([0-9]{1,2})H([0-9]{2})?")
_DEPARTEMENT = re.compile(r"^([0-9]{2,3}|2A|2B) - ")
_NATURES = {normalize(label): code for code, label in NATURE_CONTRAT_LABELS.items()}
_NIVEAUX = {normalize(label): code for code, label in NIVEAU_FORMATION_LABELS.items()}
_DUREES = {normalize(label): code for code, label in DUREE_TRAVAIL_LABELS.items()}


@dataclass
class Parsed:
    """A checked record: where it comes from, its values and what only imports have."""

    origin: str
    origin_number: str
    values: OfferValues
    extra: dict[str, Any] = field(default_factory=dict)


E = TypeVar("E", bound=StrEnum)


def _member(enum: type[E], value: Any) -> E | None:
    return enum(value) if isinstance(value, str) and value in enum.__members__ else None


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _months(label: str | None) -> int | None:
    found = _MONTHS.search(label or "")
    if found is None:
        return None
    count = int(found[1])
    return count * 12 if found[2].lower() == "an" else count


def _amount(text: str | None) -> float | None:
    return float(text.replace(" ", "").replace(",", ".").rstrip(".")) if text else None


def _salary(raw: Any) -> SalaryInput | None:
    libelle = _text(raw.get("libelle")) if isinstance(raw, dict) else None
    if libelle is None:
        return None
    found = _SALARY.search(libelle)
    if found is None:
        return SalaryInput(libelle=libelle[:200])
    period = _PERIODS.get(found[1].lower(), SalaryPeriod.YEARLY)
    return SalaryInput(_amount(found[2]), _amount(found[3]), period, libelle[:200])


def _requirements(items: Any) -> tuple[RequirementInput, ...]:
    found = []
    for item in items if isinstance(items, list) else []:
        libelle = _text(item.get("libelle")) if isinstance(item, dict) else None
        if libelle:
            exigence = Exigence.E if item.get("exigence") == "E" else Exigence.S
            found.append(RequirementInput(libelle[:200], exigence))
    return tuple(found)


def _formations(items: Any) -> tuple[FormationInput, ...]:
    found = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        niveau = _NIVEAUX.get(normalize(item.get("niveauLibelle") or ""))
        domaine = _text(item.get("domaineLibelle"))
        if niveau or domaine:
            exigence = Exigence.E if item.get("exigence") == "E" else Exigence.S
            found.append(FormationInput(niveau, domaine[:200] if domaine else None, exigence))
    return tuple(found)


def _place(ref: ReferenceData, errors: ErrorCollector, lieu: Any) -> Place | None:
    lieu = lieu if isinstance(lieu, dict) else {}
    lookups = offer_reference(ref)
    commune = ref.commune(lieu["commune"]) if _text(lieu.get("commune")) else None
    if commune is None and _text(lieu.get("codePostal")):
        communes = ref.communes_for_postal_code(lieu["codePostal"])
        commune = communes[0] if communes else None
    if commune is not None:
        return lookups.place_of(commune)
    found = _DEPARTEMENT.match(lieu.get("libelle") or "")
    if found and found[1] in lookups.departements:
        code = found[1]
        latitude, longitude = lieu.get("latitude"), lieu.get("longitude")
        return Place(
            commune_insee=None,
            postal_code=None,
            libelle=str(lieu["libelle"])[:120],
            departement=code,
            region=lookups.departements[code][1],
            latitude=float(latitude) if isinstance(latitude, int | float) else None,
            longitude=float(longitude) if isinstance(longitude, int | float) else None,
        )
    errors.add("lieuTravail", ErrorCode.UNKNOWN_COMMUNE, "Lieu de travail inconnu.")
    return None


def _appellation(ref: ReferenceData, rome: str | None, label: str | None) -> str | None:
    if not rome or not label:
        return None
    wanted = normalize(label)
    for title in ref.job_titles_for_metier(rome):
        if normalize(title.libelle) == wanted:
            return title.code_ogr
    return None


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_record(
    ref: ReferenceData, record: Any, default_origin: str, today: date
) -> tuple[Parsed | None, list[str]]:
    """The checked offer of one FT v2 record, or None and why (French, one per problem)."""
    errors = ErrorCollector()
    if not isinstance(record, dict):
        return None, ["l'enregistrement n'est pas un objet JSON"]
    number = _text(record.get("id"))
    if number is None or len(number) > 40:
        errors.add("id", ErrorCode.REQUIRED, "Identifiant (id) manquant ou trop long.")
    type_code = record.get("typeContrat")
    type_contrat = _member(TypeContrat, type_code)
    if type_contrat is None:
        errors.add(
            "typeContrat",
            ErrorCode.UNKNOWN_CONTRACT_TYPE,
            f"Type de contrat inconnu : {type_code}.",
        )
    exige = record.get("experienceExige")
    experience = _member(ExperienceExige, exige)
    if experience is None:
        errors.add("experienceExige", ErrorCode.INVALID, f"Expérience inconnue : {exige}.")
    place = _place(ref, errors, record.get("lieuTravail"))
    qualification = str(record.get("qualificationCode") or "")
    converti = _DUREES.get(normalize(record.get("dureeTravailLibelleConverti") or ""))
    hours = _HOURS.match(record.get("dureeTravailLibelle") or "")
    rome = _text(record.get("romeCode"))
    contact = _object(record.get("contact"))
    data = OfferInput(
        intitule=_text(record.get("intitule")),
        description=_text(record.get("description")) or _text(record.get("intitule")),
        rome_code=rome,
        appellation_code=_appellation(ref, rome, _text(record.get("appellationlibelle"))),
        type_contrat=type_contrat,
        nature_contrat=_NATURES.get(normalize(record.get("natureContrat") or "")),
        duree_contrat_mois=_months(record.get("typeContratLibelle"))
        if type_contrat in FIXED_TERM
        else None,
        experience_exige=experience,
        experience_mois=None
        if experience in (None, ExperienceExige.D)
        else _months(record.get("experienceLibelle")),
        qualification=Qualification(int(qualification))
        if qualification in "123456789" and qualification
        else None,
        salaire=_salary(record.get("salaire")),
        duree_travail=converti,
        heures_hebdo=int(hours[1]) + int(hours[2] or 0) / 60 if hours else None,
        formations=_formations(record.get("formations")),
        permis=_requirements(record.get("permis")),
        langues=_requirements(record.get("langues")),
        competences=_requirements(record.get("competences")),
        nombre_postes=record.get("nombrePostes")
        if isinstance(record.get("nombrePostes"), int)
        else None,
        accessible_th=bool(record.get("accessibleTH")),
        contact=ContactInput(
            nom=_text(contact.get("nom")),
            courriel=_text(contact.get("courriel")),
            telephone=_text(contact.get("telephone")),
            url_postulation=_text(contact.get("urlPostulation")),
            coordonnees=_text(contact.get("coordonnees1")),
        )
        if contact
        else None,
    )
    values = check_offer(ref, errors, data, today, place=place) if place else None
    if errors.errors or values is None:
        first = {e.field: e for e in reversed(errors.errors)}  # one problem per field
        return None, [f"{e.field} : {e.message}" if e.field else e.message for e in first.values()][
            ::-1
        ]
    appellation = _text(record.get("appellationlibelle"))
    if appellation and values.appellation_libelle is None:
        values = replace(values, appellation_libelle=appellation[:200])
    origin_code = str(_object(record.get("origineOffre")).get("origine") or "")
    entreprise = _object(record.get("entreprise"))
    created = _datetime(record.get("dateCreation"))
    extra = {
        "employer_name": (_text(entreprise.get("nom")) or "")[:200] or None,
        "employer_info": {k: v for k, v in entreprise.items() if k != "nom"} or None,
        "created_at": created,
        "updated_at": _datetime(record.get("dateActualisation")) or created,
        "published_at": created,
    }
    origin = ORIGINS.get(origin_code) or origin_code.upper()[:20] or default_origin
    assert number is not None
    return Parsed(origin, number, values, extra), []
