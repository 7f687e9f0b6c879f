"""Changes of situation: ``situationChangeDeclare`` (the signed-in candidat) and the
``SituationChange`` type read in ``viewer.situationChanges``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from models.situation import ContractKind, SituationKind
from resolvers.situation.declare import declare_change
from resolvers.situation.form import SituationForm
from schema.core.base import UserError
from schema.core.context import Info
from schema.core.runner import run_mutation
from schema.situation.types import ContractKindEnum, SituationChange, SituationKindEnum


@strawberry.input(
    description="A change of situation. Give `kind` and `startDate`, then the fields of that "
    "kind only (the others are refused with INVALID): `endDate` (SICK_LEAVE, ABSENCE, "
    "TRAINING; optional for a fixed-term job), `employer`, `contractType`, `weeklyHours` "
    "(WORK_RESUMED), `organisme` (TRAINING), the new address (MOVE)."
)
class SituationChangeDeclareInput:
    kind: SituationKindEnum = strawberry.field(description="What changed.")  # type: ignore[valid-type]
    start_date: date | None = strawberry.field(
        default=None,
        description="The first day (of the job, leave, absence or training), or the day of "
        "the move: at most one year back and 90 days ahead.",
    )
    end_date: date | None = strawberry.field(
        default=None,
        description="The last day, on or after the start, within a year of it. Sick leaves, "
        "absences and trainings never overlap one another.",
    )
    employer: str | None = strawberry.field(
        default=None, description="WORK_RESUMED: the employer's name (200 characters max)."
    )
    contract_type: ContractKindEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="WORK_RESUMED: the contract (a CDI has no end date)."
    )
    weekly_hours: int | None = strawberry.field(
        default=None, description="WORK_RESUMED: the hours a week, 1 to 48."
    )
    organisme: str | None = strawberry.field(
        default=None, description="TRAINING: the training body (200 characters max)."
    )
    adresse: str | None = strawberry.field(
        default=None, description="MOVE: number and street (200 characters max)."
    )
    complement_adresse1: str | None = strawberry.field(
        default=None, description="MOVE: first address complement (100 characters max)."
    )
    complement_adresse2: str | None = strawberry.field(
        default=None, description="MOVE: second address complement (100 characters max)."
    )
    postal_code: str | None = strawberry.field(
        default=None, description="MOVE: the French postal code (5 digits)."
    )
    commune_insee: str | None = strawberry.field(
        default=None,
        description="MOVE: the commune's INSEE code, one of the postal code's (filled in when "
        "the postal code has one commune).",
    )

    def form(self) -> SituationForm:
        return SituationForm(
            kind=SituationKind(self.kind),
            start_date=self.start_date,
            end_date=self.end_date,
            employer=self.employer,
            contract_type=ContractKind(self.contract_type) if self.contract_type else None,
            weekly_hours=self.weekly_hours,
            organisme=self.organisme,
            adresse=self.adresse,
            complement_adresse1=self.complement_adresse1,
            complement_adresse2=self.complement_adresse2,
            postal_code=self.postal_code,
            commune_insee=self.commune_insee,
        )


@strawberry.type(description="The result of situationChangeDeclare.")
class SituationChangeDeclarePayload:
    situation_change: SituationChange | None = strawberry.field(
        description="The change as recorded (its reference, « enregistré le … à … », what it "
        "did), or null if refused."
    )
    user_errors: list[UserError] = strawberry.field(description="What was wrong, by field.")


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="The signed-in candidat, registered (INSCRIT), declares a change of "
        "situation. All or nothing: the change and its effects on the registration and the "
        "contact details (see `SituationKind`), a SITUATION_CHANGED dashboard event (live), "
        "a confirmation mail and, for a sick leave, a job or a training, a « Demande de "
        "pièces » letter. Sick days, absence days past 35 a year and the days after a "
        "full-time CDI are deducted when the month's payment is computed. FORBIDDEN for "
        "other accounts, NOT_REGISTERED unless INSCRIT."
    )
    async def situation_change_declare(
        self,
        info: Info,
        input: Annotated[
            SituationChangeDeclareInput,
            strawberry.argument(description="The kind of change, its dates and its details."),
        ],
    ) -> SituationChangeDeclarePayload:
        runtime = info.context.runtime
        form = input.form()
        return await run_mutation(
            info,
            SituationChangeDeclarePayload,
            lambda session, viewer: declare_change(session, runtime, viewer.account, form),
            lambda row: SituationChangeDeclarePayload(
                situation_change=SituationChange.from_model(row), user_errors=[]
            ),
        )
