"""Inputs of the monthly declaration: the seven statements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import strawberry

from resolvers.actualisation.answers import Answers, EmployerAnswer, StopReason
from schema.core.base import described_enum

StopReasonEnum = described_enum(
    StopReason,
    "ActualisationStopReason",
    "Why the candidat no longer looks for work.",
    {
        StopReason.EMPLOI: "Emploi: the candidat found a job.",
        StopReason.RETRAITE: "Retraite: the candidat retires.",
        StopReason.AUTRE: "Autre: another reason.",
    },
)


def _f(description: str) -> Any:
    return strawberry.field(default=None, description=description)


@strawberry.input(description="One employer of the month (statement 2).")
class ActualisationEmployerInput:
    name: str | None = _f("Required. The employer's name (200 characters max).")
    hours: int | None = _f("Required. Hours worked this month (1 to 450; 450 in all).")
    gross_pay: Decimal | None = _f("Required. Gross pay in euros, e.g. 600.00.")
    contract_ended: bool = strawberry.field(
        default=False, description="Whether the contract ended this month."
    )


@strawberry.input(
    description="The monthly declaration: the seven statements. Every date falls within the "
    "declared month; every problem is reported at once, field by field (employers.0.hours…)."
)
class ActualisationInput:
    still_looking: bool = strawberry.field(description="1. Still looking for work?")
    stop_date: date | None = _f("1. If not: since when.")
    stop_reason: StopReasonEnum | None = _f("1. If not: why.")  # type: ignore[valid-type]
    worked: bool = strawberry.field(description="2. Did you work this month?")
    employers: list[ActualisationEmployerInput] | None = _f("2. If so: each employer (20 max).")
    training: bool = strawberry.field(description="3. Training or internship?")
    training_start: date | None = _f("3. If so: first day.")
    training_end: date | None = _f("3. If so: last day.")
    sick: bool = strawberry.field(description="4. Sick leave?")
    sick_start: date | None = _f("4. If so: first day.")
    sick_end: date | None = _f("4. If so: last day.")
    maternity: bool = strawberry.field(description="5. Maternity or paternity leave?")
    maternity_date: date | None = _f("5. If so: from which day.")
    retirement: bool = strawberry.field(description="6. Retirement pension?")
    retirement_date: date | None = _f("6. If so: from which day.")
    invalidity: bool = strawberry.field(description="7. Invalidity pension?")
    invalidity_date: date | None = _f("7. If so: from which day.")

    def to_answers(self) -> Answers:
        """The plain answers the domain checks."""
        return Answers(
            still_looking=self.still_looking,
            worked=self.worked,
            training=self.training,
            sick=self.sick,
            maternity=self.maternity,
            retirement=self.retirement,
            invalidity=self.invalidity,
            stop_date=self.stop_date,
            stop_reason=StopReason(self.stop_reason) if self.stop_reason else None,
            employers=[
                EmployerAnswer(e.name, e.hours, e.gross_pay, e.contract_ended)
                for e in self.employers or []
            ],
            training_start=self.training_start,
            training_end=self.training_end,
            sick_start=self.sick_start,
            sick_end=self.sick_end,
            maternity_date=self.maternity_date,
            retirement_date=self.retirement_date,
            invalidity_date=self.invalidity_date,
        )
