"""Offer search criteria: one type for searches, saved searches and (later) alerts.

``OfferCriteria`` is plain, immutable and JSON-serialisable (``to_json``/``from_json``, the
form stored in ``saved_searches.criteria``). ``check_criteria`` validates one against the
reference data and reports every problem at once, with stable codes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from refdata import ReferenceData
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.dossiers.fields import Qualification
from resolvers.offers.fields import (
    DureeTravail,
    ExperienceExige,
    NatureContrat,
    SalaryPeriod,
    TypeContrat,
    monthly,
)
from resolvers.offers.reference import offer_reference
from resolvers.offers.text import MAX_KEYWORDS, keyword_terms

DEFAULT_DISTANCE_KM = 10  # as FT v2 when a commune is given without a distance
MAX_DISTANCE_KM = 200
MAX_CODES = 10
MAX_SINCE_DAYS = 365


@dataclass(frozen=True, slots=True)
class OfferCriteria:
    """What a candidat looks for. Empty criteria match every published offer
    (France entière, tous types de contrats)."""

    keywords: str | None = None
    rome_codes: tuple[str, ...] = ()
    appellation_code: str | None = None
    commune_insee: str | None = None
    distance_km: int | None = None
    departements: tuple[str, ...] = ()
    region: str | None = None
    types_contrat: tuple[TypeContrat, ...] = ()
    natures_contrat: tuple[NatureContrat, ...] = ()
    experience: tuple[ExperienceExige, ...] = ()
    experience_max_mois: int | None = None
    qualifications: tuple[Qualification, ...] = ()
    duree_travail: DureeTravail | None = None
    salaire_min: float | None = None
    salaire_period: SalaryPeriod = SalaryPeriod.MONTHLY
    published_since_days: int | None = None

    @property
    def terms(self) -> list[str]:
        """The keywords as words (stop words dropped)."""
        return keyword_terms(self.keywords)

    @property
    def radius_km(self) -> int | None:
        """The search radius around the commune (10 km by default); None without one."""
        if self.commune_insee is None:
            return None
        return DEFAULT_DISTANCE_KM if self.distance_km is None else self.distance_km

    @property
    def salaire_mensuel_min(self) -> float | None:
        if self.salaire_min is None:
            return None
        return monthly(self.salaire_min, self.salaire_period)

    def to_json(self) -> dict[str, Any]:
        """camelCase keys like the GraphQL input; empty criteria are left out."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if (
                value is None
                or value == ()
                or (f.name == "salaire_period" and "salaireMin" not in out)
            ):
                continue
            if isinstance(value, tuple):
                value = [v.value if hasattr(v, "value") else v for v in value]
            elif hasattr(value, "value"):
                value = value.value
            out[_CAMEL[f.name]] = value
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OfferCriteria:
        """The criteria stored by ``to_json`` (unknown keys are ignored)."""
        values: dict[str, Any] = {}
        for name, key in _CAMEL.items():
            if key not in data or data[key] is None:
                continue
            raw = data[key]
            convert = _CONVERT.get(name)
            if isinstance(raw, list):
                values[name] = tuple(convert(v) if convert else v for v in raw)
            else:
                values[name] = convert(raw) if convert else raw
        return cls(**values)

    def replace(self, **changes: Any) -> OfferCriteria:
        return replace(self, **changes)


_CAMEL = {
    "keywords": "keywords",
    "rome_codes": "romeCodes",
    "appellation_code": "appellationCode",
    "commune_insee": "communeInsee",
    "distance_km": "distanceKm",
    "departements": "departements",
    "region": "region",
    "types_contrat": "typesContrat",
    "natures_contrat": "naturesContrat",
    "experience": "experience",
    "experience_max_mois": "experienceMaxMois",
    "qualifications": "qualifications",
    "duree_travail": "dureeTravail",
    "salaire_min": "salaireMin",
    "salaire_period": "salairePeriod",
    "published_since_days": "publishedSinceDays",
}
_CONVERT: dict[str, Any] = {
    "types_contrat": TypeContrat,
    "natures_contrat": NatureContrat,
    "experience": ExperienceExige,
    "qualifications": Qualification,
    "duree_travail": DureeTravail,
    "salaire_period": SalaryPeriod,
}


def check_criteria(ref: ReferenceData, criteria: OfferCriteria, prefix: str = "") -> OfferCriteria:
    """Validated and normalised criteria, or a DomainError with every problem (fields are
    the camelCase input names, after ``prefix``)."""
    errors = ErrorCollector()
    lookups = offer_reference(ref)

    def field(name: str) -> str:
        return prefix + _CAMEL[name]

    keywords = (criteria.keywords or "").strip() or None
    if keywords is not None and len(keywords) > 200:
        errors.add(field("keywords"), ErrorCode.TOO_LONG, "200 caractères au maximum.")
    elif len(keyword_terms(keywords)) > MAX_KEYWORDS:
        errors.add(field("keywords"), ErrorCode.TOO_LONG, f"{MAX_KEYWORDS} mots-clés au maximum.")
    rome_codes = tuple(dict.fromkeys(c.strip().upper() for c in criteria.rome_codes))
    unknown = [c for c in rome_codes if ref.metier(c) is None]
    if len(rome_codes) > MAX_CODES:
        errors.add(field("rome_codes"), ErrorCode.TOO_LONG, f"{MAX_CODES} codes au maximum.")
    elif unknown:
        errors.add(
            field("rome_codes"),
            ErrorCode.UNKNOWN_ROME_CODE,
            f"Code ROME inconnu : {', '.join(unknown)}.",
        )
    appellation = (criteria.appellation_code or "").strip() or None
    if appellation is not None and appellation not in lookups.appellations:
        errors.add(
            field("appellation_code"), ErrorCode.UNKNOWN_APPELLATION, "Appellation inconnue."
        )
    commune = (criteria.commune_insee or "").strip().upper() or None
    if commune is not None and ref.commune(commune) is None:
        errors.add(
            field("commune_insee"), ErrorCode.UNKNOWN_COMMUNE, f"Commune inconnue : {commune}."
        )
    if criteria.distance_km is not None:
        if commune is None and not errors.has(field("commune_insee")):
            errors.add(
                field("distance_km"),
                ErrorCode.DISTANCE_WITHOUT_COMMUNE,
                "Une distance se compte depuis une commune : choisissez-la.",
            )
        elif not 0 <= criteria.distance_km <= MAX_DISTANCE_KM:
            errors.add(
                field("distance_km"),
                ErrorCode.OUT_OF_RANGE,
                f"Distance attendue entre 0 et {MAX_DISTANCE_KM} km.",
            )
    departements = tuple(dict.fromkeys(d.strip().upper() for d in criteria.departements))
    bad = [d for d in departements if d not in lookups.departements]
    if len(departements) > MAX_CODES:
        errors.add(field("departements"), ErrorCode.TOO_LONG, f"{MAX_CODES} au maximum.")
    elif bad:
        errors.add(
            field("departements"),
            ErrorCode.UNKNOWN_DEPARTEMENT,
            f"Département inconnu : {', '.join(bad)}.",
        )
    region = (criteria.region or "").strip() or None
    if region is not None and region not in lookups.regions:
        errors.add(field("region"), ErrorCode.UNKNOWN_REGION, f"Région inconnue : {region}.")
    places = [p for p in (commune, departements, region) if p]
    if len(places) > 1:
        errors.add(
            prefix + "place" if prefix else "place",
            ErrorCode.CONFLICTING_CRITERIA,
            "Choisissez une commune, des départements ou une région (ou France entière).",
        )
    _check_numbers(errors, criteria, field)
    errors.raise_if_any()
    return criteria.replace(
        keywords=keywords,
        rome_codes=rome_codes,
        appellation_code=appellation,
        commune_insee=commune,
        departements=departements,
        region=region,
        types_contrat=tuple(dict.fromkeys(criteria.types_contrat)),
        natures_contrat=tuple(dict.fromkeys(criteria.natures_contrat)),
        experience=tuple(dict.fromkeys(criteria.experience)),
        qualifications=tuple(dict.fromkeys(criteria.qualifications)),
    )


def collect_criteria(
    ref: ReferenceData, errors: ErrorCollector, criteria: OfferCriteria, prefix: str = "criteria."
) -> OfferCriteria | None:
    """``check_criteria`` inside a larger form: its problems join ``errors``."""
    try:
        return check_criteria(ref, criteria, prefix=prefix)
    except DomainError as e:
        errors.errors.extend(e.errors)
        return None


def _check_numbers(errors: ErrorCollector, c: OfferCriteria, field: Any) -> None:
    if c.salaire_min is not None and c.salaire_min < 0:
        errors.add(
            field("salaire_min"), ErrorCode.OUT_OF_RANGE, "Le salaire ne peut pas être négatif."
        )
    elif c.salaire_min is not None and c.salaire_min > 10_000_000:
        errors.add(field("salaire_min"), ErrorCode.OUT_OF_RANGE, "Ce montant est trop élevé.")
    if c.experience_max_mois is not None and not 0 <= c.experience_max_mois <= 600:
        errors.add(field("experience_max_mois"), ErrorCode.OUT_OF_RANGE, "Entre 0 et 600 mois.")
    days = c.published_since_days
    if days is not None and not 1 <= days <= MAX_SINCE_DAYS:
        errors.add(
            field("published_since_days"),
            ErrorCode.OUT_OF_RANGE,
            f"Entre 1 et {MAX_SINCE_DAYS} jours.",
        )
