"""The seven statements of the monthly declaration, checked all at once, field by field.

1. still looking for work (if not: the date and the reason); 2. worked (employers with
hours, gross pay in euros, contract ended; 450 hours at most in all); 3. training or
internship (dates); 4. sick leave (dates); 5. maternity or paternity leave (date);
6. retirement pension (date); 7. invalidity pension (date). Every date falls within the
declared month. What is stored is plain JSON (amounts in integer cents, ISO dates).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from resolvers.actualisation.windows import next_month, period_label
from resolvers.core.errors import ErrorCode, ErrorCollector

MAX_HOURS = 450
MAX_EMPLOYERS = 20
NAME_MAX = 200
MAX_PAY = Decimal("1000000")


class StopReason(StrEnum):
    """Why a candidat no longer looks for work."""

    EMPLOI = "EMPLOI"
    RETRAITE = "RETRAITE"
    AUTRE = "AUTRE"


@dataclass(frozen=True, slots=True)
class EmployerAnswer:
    name: str | None = None
    hours: int | None = None
    gross_pay: Decimal | None = None  # euros
    contract_ended: bool = False


@dataclass(frozen=True, slots=True)
class Answers:
    """The declaration as the candidat gives it (unchecked)."""

    still_looking: bool
    worked: bool
    training: bool
    sick: bool
    maternity: bool
    retirement: bool
    invalidity: bool
    stop_date: date | None = None
    stop_reason: StopReason | None = None
    employers: list[EmployerAnswer] = field(default_factory=list)
    training_start: date | None = None
    training_end: date | None = None
    sick_start: date | None = None
    sick_end: date | None = None
    maternity_date: date | None = None
    retirement_date: date | None = None
    invalidity_date: date | None = None


class _Month:
    def __init__(self, period: date, errors: ErrorCollector) -> None:
        self.first, self.end = period, next_month(period)
        self.label = period_label(period)
        self.errors = errors

    def day(self, flag: bool, value: date | None, name: str, what: str) -> str | None:
        """A date required when ``flag`` is set, absent otherwise, within the month."""
        if not flag:
            if value is not None:
                self.errors.add(
                    name, ErrorCode.INVALID, f"Sans {what} déclaré(e), ne donnez pas de date."
                )
            return None
        if value is None:
            self.errors.add(name, ErrorCode.REQUIRED, f"Indiquez la date ({what}).")
            return None
        if not self.first <= value < self.end:
            self.errors.add(name, ErrorCode.OUT_OF_RANGE, f"La date doit être en {self.label}.")
            return None
        return value.isoformat()

    def span(self, flag: bool, start: date | None, end: date | None, name: str, what: str) -> Any:
        first = self.day(flag, start, f"{name}Start", what)
        last = self.day(flag, end, f"{name}End", what)
        if first is None or last is None:
            return None
        if last < first:
            self.errors.add(
                f"{name}End", ErrorCode.INVALID_DATE, "La date de fin précède la date de début."
            )
            return None
        return {"start": first, "end": last}


def check_answers(answers: Answers, period: date) -> dict[str, Any]:
    """The declaration as stored, or a ``DomainError`` with every problem at once."""
    errors = ErrorCollector()
    month = _Month(period, errors)
    stop = month.day(not answers.still_looking, answers.stop_date, "stopDate", "fin de recherche")
    if answers.still_looking and answers.stop_reason is not None:
        errors.add("stopReason", ErrorCode.INVALID, "Vous recherchez toujours un emploi.")
    if not answers.still_looking and answers.stop_reason is None:
        errors.add("stopReason", ErrorCode.REQUIRED, "Indiquez pourquoi vous ne recherchez plus.")
    employers = _employers(answers, errors)
    stored = {
        "stillLooking": answers.still_looking,
        "stopDate": stop,
        "stopReason": answers.stop_reason.value if answers.stop_reason else None,
        "worked": answers.worked,
        "employers": employers,
        "training": month.span(
            answers.training, answers.training_start, answers.training_end, "training", "formation"
        ),
        "sick": month.span(
            answers.sick, answers.sick_start, answers.sick_end, "sick", "arrêt maladie"
        ),
        "maternity": month.day(
            answers.maternity, answers.maternity_date, "maternityDate", "congé maternité/paternité"
        ),
        "retirement": month.day(
            answers.retirement, answers.retirement_date, "retirementDate", "pension de retraite"
        ),
        "invalidity": month.day(
            answers.invalidity, answers.invalidity_date, "invalidityDate", "pension d'invalidité"
        ),
    }
    errors.raise_if_any()
    return stored


def _employers(answers: Answers, errors: ErrorCollector) -> list[dict[str, Any]]:
    if not answers.worked:
        if answers.employers:
            errors.add("employers", ErrorCode.INVALID, "Sans travail déclaré, pas d'employeur.")
        return []
    if not answers.employers:
        errors.add("employers", ErrorCode.REQUIRED, "Indiquez au moins un employeur.")
        return []
    if len(answers.employers) > MAX_EMPLOYERS:
        errors.add("employers", ErrorCode.TOO_LONG, f"{MAX_EMPLOYERS} employeurs au maximum.")
        return []
    stored, total = [], 0
    for i, e in enumerate(answers.employers):
        at = f"employers.{i}"
        name = (e.name or "").strip()
        if not name:
            errors.add(f"{at}.name", ErrorCode.REQUIRED, "Indiquez le nom de l'employeur.")
        elif len(name) > NAME_MAX:
            errors.add(f"{at}.name", ErrorCode.TOO_LONG, f"{NAME_MAX} caractères au maximum.")
        if e.hours is None:
            errors.add(f"{at}.hours", ErrorCode.REQUIRED, "Indiquez le nombre d'heures.")
        elif not 1 <= e.hours <= MAX_HOURS:
            errors.add(f"{at}.hours", ErrorCode.OUT_OF_RANGE, f"Entre 1 et {MAX_HOURS} heures.")
        else:
            total += e.hours
        cents = _cents(e.gross_pay, f"{at}.grossPay", errors)
        stored.append(
            {
                "name": name,
                "hours": e.hours,
                "grossPayCents": cents,
                "contractEnded": e.contract_ended,
            }
        )
    if total > MAX_HOURS:
        errors.add(
            "employers",
            ErrorCode.OUT_OF_RANGE,
            f"Le total des heures ({total}) dépasse {MAX_HOURS} heures dans le mois.",
        )
    return stored


def _cents(value: Decimal | None, name: str, errors: ErrorCollector) -> int | None:
    if value is None:
        errors.add(name, ErrorCode.REQUIRED, "Indiquez le salaire brut en euros.")
        return None
    try:
        cents = (value * 100).to_integral_exact()
    except InvalidOperation:
        cents = None
    if cents is None or not value.is_finite() or value < 0 or value > MAX_PAY:
        errors.add(name, ErrorCode.OUT_OF_RANGE, "Un montant en euros, positif.")
        return None
    if cents != value * 100:
        errors.add(name, ErrorCode.INVALID_FORMAT, "Deux décimales au plus (les centimes).")
        return None
    return int(cents)
