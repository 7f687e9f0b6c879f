"""Domain errors: stable codes for frontends, French messages for people."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    """Stable error codes. Frontends branch on these; never rename one."""

    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    TOO_SHORT = "TOO_SHORT"
    INVALID = "INVALID"
    INVALID_FORMAT = "INVALID_FORMAT"
    NOT_FOUND = "NOT_FOUND"
    DUPLICATE = "DUPLICATE"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    THROTTLED = "THROTTLED"
    LOCKED = "LOCKED"
    PASSWORD_TOO_SHORT = "PASSWORD_TOO_SHORT"
    PASSWORD_TOO_LONG = "PASSWORD_TOO_LONG"
    PASSWORD_TOO_COMMON = "PASSWORD_TOO_COMMON"
    PASSWORD_TOO_WEAK = "PASSWORD_TOO_WEAK"
    PASSWORD_CONTAINS_PERSONAL_DATA = "PASSWORD_CONTAINS_PERSONAL_DATA"
    WRONG_PASSWORD = "WRONG_PASSWORD"
    INVALID_POSTAL_CODE = "INVALID_POSTAL_CODE"
    UNKNOWN_POSTAL_CODE = "UNKNOWN_POSTAL_CODE"
    COMMUNE_MISMATCH = "COMMUNE_MISMATCH"
    INVALID_PHONE = "INVALID_PHONE"
    INVALID_EMAIL = "INVALID_EMAIL"
    INVALID_DATE = "INVALID_DATE"
    IMPLAUSIBLE_BIRTH_DATE = "IMPLAUSIBLE_BIRTH_DATE"
    INVALID_IDENTIFIANT = "INVALID_IDENTIFIANT"
    TOKEN_INVALID = "TOKEN_INVALID"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    TOKEN_USED = "TOKEN_USED"
    EMAIL_NOT_CONFIRMED = "EMAIL_NOT_CONFIRMED"
    EMAIL_ALREADY_CONFIRMED = "EMAIL_ALREADY_CONFIRMED"
    NO_EMAIL = "NO_EMAIL"
    PHONE_REQUIRED = "PHONE_REQUIRED"
    SECRET_QUESTION_ALREADY_SET = "SECRET_QUESTION_ALREADY_SET"
    SECRET_QUESTION_NOT_SET = "SECRET_QUESTION_NOT_SET"
    RECOVERY_DISABLED = "RECOVERY_DISABLED"
    WRONG_ACCOUNT_KIND = "WRONG_ACCOUNT_KIND"
    INVALID_SIRET = "INVALID_SIRET"
    INVALID_NAF_CODE = "INVALID_NAF_CODE"
    UNKNOWN_ROME_CODE = "UNKNOWN_ROME_CODE"
    UNKNOWN_APPELLATION = "UNKNOWN_APPELLATION"
    UNKNOWN_COMMUNE = "UNKNOWN_COMMUNE"
    UNKNOWN_DEPARTEMENT = "UNKNOWN_DEPARTEMENT"
    UNKNOWN_REGION = "UNKNOWN_REGION"
    UNKNOWN_CONTRACT_TYPE = "UNKNOWN_CONTRACT_TYPE"
    DISTANCE_WITHOUT_COMMUNE = "DISTANCE_WITHOUT_COMMUNE"
    CONFLICTING_CRITERIA = "CONFLICTING_CRITERIA"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    OFFER_CLOSED = "OFFER_CLOSED"
    NOT_PDF = "NOT_PDF"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    FILE_EMPTY = "FILE_EMPTY"
    DEADLINE_PASSED = "DEADLINE_PASSED"
    NO_AGENCY = "NO_AGENCY"
    READ_ONLY_CONVERSATION = "READ_ONLY_CONVERSATION"
    WINDOW_CLOSED = "WINDOW_CLOSED"
    ALREADY_DECLARED = "ALREADY_DECLARED"
    NOT_REGISTERED = "NOT_REGISTERED"
    NOT_PDF_OR_JPEG = "NOT_PDF_OR_JPEG"
    NO_RIGHTS = "NO_RIGHTS"
    INVALID_IBAN = "INVALID_IBAN"
    INVALID_BIC = "INVALID_BIC"
    BIC_MISMATCH = "BIC_MISMATCH"
    NOTHING_PENDING = "NOTHING_PENDING"
    ATTESTATION_UNAVAILABLE = "ATTESTATION_UNAVAILABLE"
    WORKSHOP_FULL = "WORKSHOP_FULL"
    END_BEFORE_START = "END_BEFORE_START"
    DATE_TOO_FAR = "DATE_TOO_FAR"
    OVERLAPPING_PERIOD = "OVERLAPPING_PERIOD"
    EXPORT_IN_PROGRESS = "EXPORT_IN_PROGRESS"
    INTERNAL = "INTERNAL"


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input field (``field`` is None for the whole input)."""

    field: str | None
    code: ErrorCode
    message: str


class DomainError(Exception):
    """Raised by resolvers; the schema turns it into ``userErrors`` and rolls back."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.code}" for e in errors))
        self.errors = errors

    @classmethod
    def single(cls, field: str | None, code: ErrorCode, message: str) -> DomainError:
        return cls([FieldError(field, code, message)])


class ErrorCollector:
    """Collects every field error of a form so that all come back at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str | None, code: ErrorCode, message: str) -> None:
        self.errors.append(FieldError(field, code, message))

    def has(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise DomainError(list(self.errors))
