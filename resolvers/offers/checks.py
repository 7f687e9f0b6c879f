"""Checks of the offer form's parts: salary, requirements, training, contact, date limite.

Each adds its errors to the form's ErrorCollector and returns the values to store.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from resolvers.core.errors import ErrorCode, ErrorCollector
from resolvers.core.validation import check_email, check_phone, clean_text
from resolvers.offers.fields import (
    SALARY_PERIOD_LABELS,
    Exigence,
    NiveauFormation,
    SalaryPeriod,
    monthly,
)
from resolvers.offers.input import ContactInput, FormationInput, RequirementInput, SalaryInput

_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_URL = re.compile(r"https?://[^\s<>\"]+")
MAX_AMOUNT = 10_000_000


def salary_label(minimum: float | None, maximum: float | None, period: SalaryPeriod) -> str:
    """FT v2's label: « Mensuel de 1800.00 Euros à 2000.00 Euros »."""
    word = SALARY_PERIOD_LABELS[period]
    if minimum is not None and maximum is not None and maximum != minimum:
        return f"{word} de {minimum:.2f} Euros à {maximum:.2f} Euros"
    amount = minimum if minimum is not None else maximum
    return f"{word} de {amount:.2f} Euros"


def clean_multiline(
    errors: ErrorCollector, field: str, value: str | None, *, label: str, max_len: int
) -> str | None:
    text = unicodedata.normalize("NFC", value).strip() if value is not None else ""
    if not text:
        errors.add(field, ErrorCode.REQUIRED, f"Le champ « {label} » est obligatoire.")
        return None
    if len(text) > max_len:
        errors.add(field, ErrorCode.TOO_LONG, f"{max_len} caractères au maximum.")
        return None
    if _CONTROL_MULTILINE.search(text):
        errors.add(field, ErrorCode.INVALID, "Ce texte contient des caractères non autorisés.")
        return None
    return text.replace("\r\n", "\n")


def check_salary(errors: ErrorCollector, salary: SalaryInput | None) -> dict[str, Any] | None:
    empty = dict.fromkeys(("min", "max", "period", "libelle", "mensuel_min", "mensuel_max"), None)
    result = {f"salaire_{k}": v for k, v in empty.items()}
    if salary is None:
        return result
    libelle = clean_text(errors, "salaire.libelle", salary.libelle, label="Salaire", max_len=200)
    low, high = salary.minimum, salary.maximum
    for field, amount in (("salaire.min", low), ("salaire.max", high)):
        if amount is not None and amount < 0:
            errors.add(field, ErrorCode.OUT_OF_RANGE, "Le salaire ne peut pas être négatif.")
            return None
        if amount is not None and amount > MAX_AMOUNT:
            errors.add(field, ErrorCode.OUT_OF_RANGE, "Ce montant est trop élevé.")
            return None
    if low is not None and high is not None and high < low:
        errors.add("salaire.max", ErrorCode.INVALID, "Le maximum est inférieur au minimum.")
        return None
    if (low is not None or high is not None) and salary.period is None:
        errors.add("salaire.period", ErrorCode.REQUIRED, "Précisez horaire, mensuel ou annuel.")
        return None
    if low is None and high is None and libelle is None:
        return result
    period = salary.period
    result.update(
        salaire_min=low,
        salaire_max=high,
        salaire_period=period.value if period else None,
        salaire_libelle=libelle or (salary_label(low, high, period) if period else None),
        salaire_mensuel_min=monthly(low, period) if period and low is not None else None,
        salaire_mensuel_max=monthly(high, period) if period and high is not None else None,
    )
    return result


def check_requirement(errors: ErrorCollector, field: str, item: RequirementInput) -> dict[str, Any]:
    libelle = clean_text(errors, field, item.libelle, label="Libellé", max_len=200, required=True)
    return {"libelle": libelle, "exigence": Exigence(item.exigence).value}


def check_formation(errors: ErrorCollector, item: FormationInput) -> dict[str, Any]:
    domaine = clean_text(errors, "formations", item.domaine, label="Domaine", max_len=200)
    if item.niveau is None and domaine is None:
        errors.add("formations", ErrorCode.REQUIRED, "Précisez un niveau ou un domaine.")
    niveau = NiveauFormation(item.niveau).value if item.niveau else None
    return {"niveau": niveau, "domaine": domaine, "exigence": Exigence(item.exigence).value}


def check_contact(errors: ErrorCollector, contact: ContactInput | None) -> dict[str, Any] | None:
    if contact is None:
        return None
    url = clean_text(
        errors, "contact.urlPostulation", contact.url_postulation, label="Lien", max_len=500
    )
    if url is not None and not _URL.fullmatch(url):
        errors.add("contact.urlPostulation", ErrorCode.INVALID_FORMAT, "Lien http(s) attendu.")
    values = {
        "nom": clean_text(errors, "contact.nom", contact.nom, label="Nom", max_len=100),
        "courriel": check_email(errors, "contact.courriel", contact.courriel),
        "telephone": _phone(errors, contact.telephone),
        "urlPostulation": url,
        "coordonnees": clean_text(
            errors, "contact.coordonnees", contact.coordonnees, label="Adresse", max_len=300
        ),
    }
    return {k: v for k, v in values.items() if v is not None} or None


def _phone(errors: ErrorCollector, value: str | None) -> str | None:
    fixed = ErrorCollector()
    number = check_phone(fixed, "contact.telephone", value, mobile=False, region="FR")
    if fixed.errors:
        mobile = ErrorCollector()
        number = check_phone(mobile, "contact.telephone", value, mobile=True, region="FR")
        if mobile.errors:
            errors.errors.extend(mobile.errors)
    return number


def check_expiry(errors: ErrorCollector, day: date | None, today: date) -> datetime | None:
    if day is None:
        return None
    if not today < day <= today + timedelta(days=366):
        errors.add("expiresOn", ErrorCode.OUT_OF_RANGE, "Date limite : dans l'année qui vient.")
        return None
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)
