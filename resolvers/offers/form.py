"""The offer form: check every field at once and produce the values to store."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from models.offers import Offer
from refdata import ReferenceData
from resolvers.core.errors import ErrorCode, ErrorCollector
from resolvers.core.validation import clean_text, require
from resolvers.offers.checks import (
    check_contact,
    check_expiry,
    check_formation,
    check_requirement,
    check_salary,
    clean_multiline,
)
from resolvers.offers.fields import (
    FIXED_TERM,
    ExperienceExige,
    NatureContrat,
)
from resolvers.offers.input import (
    OfferInput,
)
from resolvers.offers.reference import Place, offer_reference
from resolvers.offers.text import filter_tokens, stem_text

LIST_LIMITS = {"formations": 5, "permis": 5, "langues": 10, "competences": 30}


@dataclass(frozen=True, slots=True)
class OfferValues:
    """Checked values, named like the columns of ``models.offers.Offer``."""

    intitule: str
    description: str
    commune_insee: str | None
    postal_code: str | None
    lieu_libelle: str
    departement: str | None
    region: str | None
    latitude: float | None
    longitude: float | None
    rome_code: str
    rome_libelle: str
    appellation_code: str | None
    appellation_libelle: str | None
    type_contrat: str
    nature_contrat: str
    duree_contrat_mois: int | None
    experience_exige: str
    experience_mois: int | None
    qualification: int | None
    salaire_min: float | None
    salaire_max: float | None
    salaire_period: str | None
    salaire_libelle: str | None
    salaire_mensuel_min: float | None
    salaire_mensuel_max: float | None
    duree_travail: str | None
    heures_hebdo: float | None
    formations: list[dict[str, Any]]
    permis: list[dict[str, Any]]
    langues: list[dict[str, Any]]
    competences: list[dict[str, Any]]
    nombre_postes: int
    accessible_th: bool
    contact: dict[str, Any] | None
    expires_at: datetime | None
    search_extra: str

    def as_columns(self) -> dict[str, Any]:
        return asdict(self)

    def apply(self, offer: Offer, sqlite: bool) -> None:
        for key, value in asdict(self).items():
            setattr(offer, key, value)
        offer.search_title, offer.search_body = search_stems(self.as_columns(), sqlite)


def search_stems(columns: dict[str, Any], sqlite: bool) -> tuple[str | None, str | None]:
    """What SQLite's FTS5 table indexes (title and métier; body); None on PostgreSQL."""
    if not sqlite:
        return None, None
    title = stem_text(columns["intitule"], columns["rome_libelle"], columns["appellation_libelle"])
    body = stem_text(columns["description"], columns["search_extra"])
    tokens = filter_tokens(
        columns["departement"],
        columns["region"],
        columns["type_contrat"],
        columns["latitude"],
        columns["longitude"],
    )
    return title, f"{body} {tokens}"


def _range(
    errors: ErrorCollector, field: str, value: float | None, low: float, high: float
) -> float | None:
    if value is not None and not low <= value <= high:
        errors.add(field, ErrorCode.OUT_OF_RANGE, f"Valeur attendue entre {low:g} et {high:g}.")
        return None
    return value


def check_offer(
    ref: ReferenceData,
    errors: ErrorCollector,
    data: OfferInput,
    today: date,
    place: Place | None = None,
) -> OfferValues | None:
    """Check the whole form (every error at once); None when something is wrong.
    ``place`` replaces the commune (imports whose offers give only a département)."""
    intitule = clean_text(
        errors, "intitule", data.intitule, label="Intitulé", max_len=200, required=True
    )
    description = clean_multiline(
        errors, "description", data.description, label="Description", max_len=10_000
    )
    if place is None:
        place = _check_place(ref, errors, data.commune_insee)
    rome = _check_rome(ref, errors, data)
    type_contrat = require(errors, "typeContrat", data.type_contrat, label="Type de contrat")
    duree = _range(errors, "dureeContratMois", data.duree_contrat_mois, 1, 120)
    if duree is not None and type_contrat is not None and type_contrat not in FIXED_TERM:
        errors.add("dureeContratMois", ErrorCode.INVALID, "Ce contrat n'a pas de durée.")
    experience = require(errors, "experienceExige", data.experience_exige, label="Expérience")
    experience_mois = _range(errors, "experienceMois", data.experience_mois, 1, 600)
    if experience == ExperienceExige.D and experience_mois is not None:
        errors.add("experienceMois", ErrorCode.INVALID, "Un débutant n'a pas d'expérience.")
    salary = check_salary(errors, data.salaire)
    heures = _range(errors, "heuresHebdo", data.heures_hebdo, 1, 48)
    postes = _range(errors, "nombrePostes", data.nombre_postes, 1, 999)
    lists = {
        "formations": [check_formation(errors, f) for f in data.formations],
        "permis": [check_requirement(errors, "permis", r) for r in data.permis],
        "langues": [check_requirement(errors, "langues", r) for r in data.langues],
        "competences": [check_requirement(errors, "competences", r) for r in data.competences],
    }
    for name, items in lists.items():
        if len(items) > LIST_LIMITS[name]:
            errors.add(name, ErrorCode.TOO_LONG, f"{LIST_LIMITS[name]} éléments au maximum.")
    contact = check_contact(errors, data.contact)
    expires_at = check_expiry(errors, data.expires_on, today)
    if errors.errors or None in (intitule, description, place, rome, type_contrat, experience):
        return None
    assert intitule and description and place and rome and type_contrat and experience
    assert salary is not None
    return OfferValues(
        intitule=intitule,
        description=description,
        commune_insee=place.commune_insee,
        postal_code=place.postal_code,
        lieu_libelle=place.libelle,
        departement=place.departement,
        region=place.region,
        latitude=place.latitude,
        longitude=place.longitude,
        rome_code=rome[0],
        rome_libelle=rome[1],
        appellation_code=rome[2],
        appellation_libelle=rome[3],
        type_contrat=type_contrat.value,
        nature_contrat=(data.nature_contrat or NatureContrat.E1).value,
        duree_contrat_mois=int(duree) if duree is not None else None,
        experience_exige=experience.value,
        experience_mois=int(experience_mois) if experience_mois is not None else None,
        qualification=int(data.qualification) if data.qualification is not None else None,
        **salary,
        duree_travail=data.duree_travail.value if data.duree_travail else None,
        heures_hebdo=heures,
        **lists,  # type: ignore[arg-type]
        nombre_postes=int(postes) if postes is not None else 1,
        accessible_th=bool(data.accessible_th),
        contact=contact,
        expires_at=expires_at,
        search_extra=" ".join(
            str(item.get("libelle") or item.get("domaine") or "")
            for name in ("competences", "langues", "formations")
            for item in lists[name]
        ).strip(),
    )


def _check_place(ref: ReferenceData, errors: ErrorCollector, insee: str | None) -> Place | None:
    code = (insee or "").strip().upper()
    if not code:
        errors.add("communeInsee", ErrorCode.REQUIRED, "Le lieu de travail est obligatoire.")
        return None
    commune = ref.commune(code)
    if commune is None:
        errors.add("communeInsee", ErrorCode.UNKNOWN_COMMUNE, f"Commune inconnue : {code}.")
        return None
    return offer_reference(ref).place_of(commune)


def _check_rome(
    ref: ReferenceData, errors: ErrorCollector, data: OfferInput
) -> tuple[str, str, str | None, str | None] | None:
    """(ROME code, its label, appellation code, appellation label); the ROME code follows
    from the appellation when only that is given."""
    title = None
    if data.appellation_code:
        title = offer_reference(ref).appellations.get(data.appellation_code.strip())
        if title is None:
            errors.add(
                "appellationCode", ErrorCode.UNKNOWN_APPELLATION, "Appellation ROME inconnue."
            )
            return None
    code = (data.rome_code or "").strip().upper() or (title.code_rome if title else "")
    if not code:
        errors.add("romeCode", ErrorCode.REQUIRED, "Le code ROME du métier est obligatoire.")
        return None
    metier = ref.metier(code)
    if metier is None:
        errors.add("romeCode", ErrorCode.UNKNOWN_ROME_CODE, f"Code ROME inconnu : {code}.")
        return None
    if title is not None and title.code_rome != metier.code:
        errors.add(
            "appellationCode",
            ErrorCode.INVALID,
            f"Cette appellation n'appartient pas au métier {metier.code}.",
        )
        return None
    return (
        metier.code,
        metier.libelle,
        title.code_ogr if title else None,
        title.libelle if title else None,
    )
