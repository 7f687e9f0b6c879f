"""Allowance: ``viewer.indemnisation`` (schema.viewer), and the advisers' mutations.

Advisers of the candidat's agency open rights and compute a month's payment; anyone else
gets NOT_FOUND for the candidat (FORBIDDEN when not an adviser at all).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from models.indemnisation import AllowanceKind, RightsState
from models.privacy_log import AccessKind
from resolvers.core.errors import DomainError
from resolvers.indemnisation.access import agency_candidat
from resolvers.indemnisation.compute import MonthForm, compute_for_candidat
from resolvers.indemnisation.rights import RightsForm, open_rights, rights_of
from schema.access_log.note import saw
from schema.core.base import UserError
from schema.core.context import Info
from schema.core.runner import run_mutation
from schema.indemnisation.types import (
    AllowanceKindEnum,
    Indemnisation,
    Payment,
    RightsStateEnum,
)


@strawberry.input(description="Rights an adviser opens or changes for a candidat.")
class IndemnisationRightsSetInput:
    identifiant: str = strawberry.field(description="The candidat's identifiant.")
    state: RightsStateEnum = strawberry.field(description="The rights' state.")  # type: ignore[valid-type]
    kind: AllowanceKindEnum = strawberry.field(  # type: ignore[valid-type]
        default=AllowanceKind.ARE, description="The allowance (ARE by default)."
    )
    daily_net_rate: str = strawberry.field(description="Euros per day, e.g. « 38,45 ».")
    start_date: date | None = strawberry.field(
        default=None, description="First day of rights (required when OUVERT)."
    )
    days_granted: int = strawberry.field(description="Days granted, 0 to 1,095.")
    reference_salary: str | None = strawberry.field(
        default=None, description="Monthly reference salary in euros (the cap); optional."
    )


@strawberry.type(description="The result of indemnisationRightsSet.")
class IndemnisationRightsSetPayload:
    indemnisation: Indemnisation | None = strawberry.field(description="The rights, or null.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.input(description="A month's declared facts, to compute its payment.")
class IndemnisationPaymentComputeInput:
    identifiant: str = strawberry.field(description="The candidat's identifiant.")
    period: date = strawberry.field(description="Any day of the declared month.")
    hours_worked: int = strawberry.field(default=0, description="Hours worked, 0 to 450.")
    gross_pay: str = strawberry.field(default="0", description="Gross pay in euros.")
    sick_days: int = strawberry.field(default=0, description="Days of sick leave.")
    days_not_looking: int = strawberry.field(default=0, description="Days not looking for work.")
    still_looking: bool = strawberry.field(
        default=True, description="Still looking for work at the end of the month."
    )


@strawberry.type(description="The result of indemnisationPaymentCompute.")
class IndemnisationPaymentComputePayload:
    payment: Payment | None = strawberry.field(description="The scheduled payment, or null.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.type
class Query:
    @strawberry.field(
        description="For an adviser: the rights and payments of a candidat of their agency "
        "(by identifiant); null for anyone else or another agency's candidat."
    )
    async def candidat_indemnisation(
        self,
        info: Info,
        identifiant: Annotated[
            str, strawberry.argument(description="The candidat's identifiant, e.g. 1234567A.")
        ],
    ) -> Indemnisation | None:
        viewer = info.context.viewer
        if viewer is None:
            return None
        session = info.context.read_session()
        try:
            candidat = await agency_candidat(session, viewer.account, identifiant)
        except DomainError:
            return None
        found = await rights_of(session, candidat.id)
        saw(info, candidat.id, AccessKind.FILE_OPENED, candidat.id)
        return Indemnisation.from_model(found) if found is not None else None


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="An adviser of the candidat's agency opens or changes their rights."
    )
    async def indemnisation_rights_set(
        self,
        info: Info,
        input: Annotated[
            IndemnisationRightsSetInput,
            strawberry.argument(description="The candidat and their allowance rights to set."),
        ],
    ) -> IndemnisationRightsSetPayload:
        now = info.context.runtime.clock.now()
        form = RightsForm(
            identifiant=input.identifiant,
            state=RightsState(input.state),
            kind=AllowanceKind(input.kind),
            daily_net_rate=input.daily_net_rate,
            start_date=input.start_date,
            days_granted=input.days_granted,
            reference_salary=input.reference_salary,
        )
        return await run_mutation(
            info,
            IndemnisationRightsSetPayload,
            lambda session, viewer: open_rights(session, viewer.account, form, now),
            lambda rights: IndemnisationRightsSetPayload(
                indemnisation=Indemnisation.from_model(rights), user_errors=[]
            ),
        )

    @strawberry.mutation(
        description="An adviser of the candidat's agency computes a month's payment from its "
        "declared facts (the monthly declaration does it once accepted). It is scheduled 3 "
        "working days later; NO_RIGHTS without open rights, DUPLICATE for a month done."
    )
    async def indemnisation_payment_compute(
        self,
        info: Info,
        input: Annotated[
            IndemnisationPaymentComputeInput,
            strawberry.argument(
                description="The candidat and the declared month whose payment to compute."
            ),
        ],
    ) -> IndemnisationPaymentComputePayload:
        now = info.context.runtime.clock.now()
        form = MonthForm(
            identifiant=input.identifiant,
            period=input.period,
            hours_worked=input.hours_worked,
            gross_pay=input.gross_pay,
            sick_days=input.sick_days,
            days_not_looking=input.days_not_looking,
            still_looking=input.still_looking,
        )
        return await run_mutation(
            info,
            IndemnisationPaymentComputePayload,
            lambda session, viewer: compute_for_candidat(session, viewer.account, form, now),
            lambda payment: IndemnisationPaymentComputePayload(
                payment=Payment.from_model(payment), user_errors=[]
            ),
        )
