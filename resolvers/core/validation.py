"""Field checks for forms: text, phone numbers, e-mail, postal address, dates, identifiant.

Each check takes the form's ErrorCollector, adds at most one error for its field, and
returns the cleaned value (None when missing or wrong), so that every error of a form
comes back at once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import TypeVar

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from refdata import ReferenceData
from resolvers.core.errors import ErrorCode, ErrorCollector

E = TypeVar("E", bound=Enum)

# Single-line fields refuse control characters (PostgreSQL refuses NUL outright).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_IDENTIFIANT = re.compile(r"[0-9]{7}[A-Z]")
_POSTAL_CODE = re.compile(r"[0-9]{5}")
PHONE_MAX_CHARS = 30
MIN_AGE, MAX_AGE = 14, 100

MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
FIXE_TYPES = {
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE,
    PhoneNumberType.VOIP,  # the 09 numbers of French internet boxes are home lines
}


def required_message(label: str) -> str:
    return f"Le champ « {label} » est obligatoire."


def clean_text(
    errors: ErrorCollector,
    field: str,
    value: str | None,
    *,
    label: str,
    max_len: int,
    required: bool = False,
) -> str | None:
    """Trim (and NFC-normalise) a single-line text; empty gives None, or REQUIRED."""
    text = unicodedata.normalize("NFC", value).strip() if value is not None else ""
    if not text:
        if required:
            errors.add(field, ErrorCode.REQUIRED, required_message(label))
        return None
    if len(text) > max_len:
        errors.add(
            field,
            ErrorCode.TOO_LONG,
            f"Le champ « {label} » ne doit pas dépasser {max_len} caractères.",
        )
        return None
    if _CONTROL.search(text):
        errors.add(
            field, ErrorCode.INVALID, f"Le champ « {label} » contient des caractères non autorisés."
        )
        return None
    return text


def require(errors: ErrorCollector, field: str, value: E | None, *, label: str) -> E | None:
    if value is None:
        errors.add(field, ErrorCode.REQUIRED, required_message(label))
    return value


def check_phone(
    errors: ErrorCollector, field: str, value: str | None, *, mobile: bool, region: str
) -> str | None:
    """A mobile (or fixed-line) number, parsed for ``region`` when national; E.164 out."""
    text = unicodedata.normalize("NFKC", value).strip() if value is not None else ""
    if not text:
        return None
    kind = "portable" if mobile else "fixe"
    invalid = f"Ce numéro de téléphone {kind} n'est pas valide."
    if len(text) > PHONE_MAX_CHARS or _CONTROL.search(text):
        errors.add(field, ErrorCode.INVALID_PHONE, invalid)
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        errors.add(field, ErrorCode.INVALID_PHONE, invalid)
        return None
    if not phonenumbers.is_valid_number(number):
        errors.add(field, ErrorCode.INVALID_PHONE, invalid)
        return None
    if phonenumbers.number_type(number) not in (MOBILE_TYPES if mobile else FIXE_TYPES):
        message = (
            "Ce numéro n'est pas un numéro de téléphone portable."
            if mobile
            else "Ce numéro n'est pas un numéro de téléphone fixe."
        )
        errors.add(field, ErrorCode.INVALID_PHONE, message)
        return None
    e164: str = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return e164


@dataclass(frozen=True, slots=True)
class PhoneDisplay:
    e164: str
    national: str
    international: str


def phone_display(e164: str) -> PhoneDisplay:
    number = phonenumbers.parse(e164, None)
    return PhoneDisplay(
        e164=e164,
        national=phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL),
        international=phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
    )


def check_email(errors: ErrorCollector, field: str, value: str | None) -> str | None:
    """An e-mail address (syntax only, no DNS), normalised; None when empty."""
    text = clean_text(errors, field, value, label="Adresse électronique", max_len=254)
    if text is None:
        return None
    try:
        normalized: str = validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        errors.add(
            field,
            ErrorCode.INVALID_EMAIL,
            "Cette adresse électronique n'est pas valide (exemple : prenom.nom@example.org).",
        )
        return None
    return normalized


def check_identifiant(errors: ErrorCollector, field: str, value: str | None) -> str | None:
    """Identifiant de demandeur d'emploi: seven digits and a letter ("1234567A")."""
    text = clean_text(errors, field, value, label="Identifiant", max_len=20, required=True)
    if text is None:
        return None
    compact = text.replace(" ", "").upper()
    if _IDENTIFIANT.fullmatch(compact) is None:
        errors.add(
            field,
            ErrorCode.INVALID_IDENTIFIANT,
            "L'identifiant se compose de 7 chiffres suivis d'une lettre (exemple : 1234567A).",
        )
        return None
    return compact


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def check_birth_date(
    errors: ErrorCollector, field: str, value: date | None, today: date
) -> date | None:
    if value is None:
        errors.add(field, ErrorCode.REQUIRED, required_message("Date de naissance"))
        return None
    if value > today or not MIN_AGE <= age_on(value, today) <= MAX_AGE:
        errors.add(
            field,
            ErrorCode.IMPLAUSIBLE_BIRTH_DATE,
            f"La date de naissance n'est pas plausible : l'âge doit être compris entre "
            f"{MIN_AGE} et {MAX_AGE} ans.",
        )
        return None
    return value


@dataclass(frozen=True, slots=True)
class Locality:
    """A checked postal code and commune: INSEE code in France, free text abroad."""

    postal_code: str
    commune_insee: str | None
    commune_name: str


def check_french_locality(
    errors: ErrorCollector,
    refdata: ReferenceData,
    postal_code: str | None,
    commune_insee: str | None,
    *,
    fields: tuple[str, str] = ("postalCode", "communeInsee"),
) -> Locality | None:
    """A French postal code and one of its communes (filled in when there is only one)."""
    pc_field, insee_field = fields
    code = clean_text(errors, pc_field, postal_code, label="Code postal", max_len=10, required=True)
    insee = clean_text(errors, insee_field, commune_insee, label="Commune", max_len=5)
    if code is None:
        return None
    code = code.replace(" ", "")
    if _POSTAL_CODE.fullmatch(code) is None:
        errors.add(
            pc_field,
            ErrorCode.INVALID_POSTAL_CODE,
            "Le code postal se compose de 5 chiffres (exemple : 22200).",
        )
        return None
    communes = refdata.communes_for_postal_code(code)
    if not communes:
        errors.add(pc_field, ErrorCode.UNKNOWN_POSTAL_CODE, f"Le code postal {code} n'existe pas.")
        return None
    if insee is None:
        if len(communes) == 1:
            return Locality(code, communes[0].insee, communes[0].name)
        if not errors.has(insee_field):
            errors.add(
                insee_field,
                ErrorCode.REQUIRED,
                f"Choisissez la commune de rattachement parmi les {len(communes)} communes "
                f"du code postal {code}.",
            )
        return None
    for commune in communes:
        if commune.insee == insee.upper():
            return Locality(code, commune.insee, commune.name)
    errors.add(
        insee_field,
        ErrorCode.COMMUNE_MISMATCH,
        f"Cette commune ne correspond pas au code postal {code} : choisissez-en une parmi "
        f"les {len(communes)} communes proposées.",
    )
    return None


def check_foreign_locality(
    errors: ErrorCollector,
    postal_code: str | None,
    commune_insee: str | None,
    commune_name: str | None,
) -> Locality | None:
    """Abroad: a free-form postal code and a town written out."""
    code = clean_text(
        errors, "postalCode", postal_code, label="Code postal", max_len=10, required=True
    )
    name = clean_text(
        errors, "communeName", commune_name, label="Ville", max_len=100, required=True
    )
    if commune_insee is not None and commune_insee.strip():
        errors.add(
            "communeInsee",
            ErrorCode.INVALID,
            "Le code INSEE de la commune ne s'applique qu'aux adresses en France.",
        )
        return None
    if code is None or name is None:
        return None
    return Locality(code, None, name)
