"""``viewer.registration`` (« Mon inscription ») and ``registrationRenew`` (« me réinscrire »)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry

from models.registration import Registration as RegistrationModel
from models.registration import RegistrationChange as ChangeModel
from models.registration import RegistrationState
from resolvers.registration import manage
from schema.core.base import UserError, described_enum, page_size
from schema.core.context import Info
from schema.core.runner import run_mutation
from schema.dossiers.types import Agency

RegistrationStateEnum = described_enum(
    RegistrationState,
    "RegistrationState",
    "The state of the candidat's registration as a job seeker.",
    {
        RegistrationState.INSCRIT: "Inscrit: registered as a job seeker.",
        RegistrationState.CESSATION_INSCRIPTION: "Cessation d'inscription: a declaration window "
        "was missed; `registrationRenew` brings the candidat back.",
        RegistrationState.RADIE: "Radié: struck off by the agency.",
    },
)


@strawberry.type(description="One state a registration reached.")
class RegistrationChange:
    state: RegistrationStateEnum = strawberry.field(description="The state reached.")  # type: ignore[valid-type]
    effective_on: date = strawberry.field(description="From which day (Paris).")
    reason: str = strawberry.field(
        description="Why: INSCRIPTION, REINSCRIPTION or NON_ACTUALISATION."
    )
    at: datetime = strawberry.field(description="When it was recorded (UTC).")

    @classmethod
    def from_model(cls, row: ChangeModel) -> RegistrationChange:
        return cls(
            state=RegistrationState(row.state),
            effective_on=row.effective_on,
            reason=row.reason,
            at=row.at,
        )


@strawberry.type(description="The candidat's registration as a job seeker (inscription).")
class Registration:
    state: RegistrationStateEnum = strawberry.field(description="Where it stands.")  # type: ignore[valid-type]
    registered_on: date = strawberry.field(description="Date of (re)registration (Paris).")
    category: int = strawberry.field(description="Catégorie de demandeur d'emploi, 1 to 5.")
    category_label: str = strawberry.field(description="What the category means, in French.")
    row: strawberry.Private[RegistrationModel]

    @strawberry.field(description="The agency, chosen from the home commune; null if none.")
    async def agency(self, info: Info) -> Agency | None:
        if self.row.agency_id is None:
            return None
        found = await info.context.loaders.agency_by_id.load(self.row.agency_id)
        return Agency.from_model(found) if found is not None else None

    @strawberry.field(description="The personal adviser's name; null until one is assigned.")
    async def adviser_name(self, info: Info) -> str | None:
        return await manage.adviser_name(info.context.read_session(), self.row.adviser_id)

    @strawberry.field(
        description="The history of registrations, newest first (the latest `first`). A short "
        "list (a few changes a year), so a plain list, not a connection."
    )
    async def history(
        self,
        info: Info,
        first: Annotated[
            int | None,
            strawberry.argument(
                description="How many of the latest changes to return: 20 when omitted, "
                "100 at most."
            ),
        ] = None,
    ) -> list[RegistrationChange]:
        size = min(page_size(info, first), manage.MAX_HISTORY)
        rows = await manage.history(info.context.read_session(), self.row.account_id, size)
        return [RegistrationChange.from_model(r) for r in rows]

    @classmethod
    def from_model(cls, row: RegistrationModel) -> Registration:
        return cls(
            state=RegistrationState(row.state),
            registered_on=row.registered_on,
            category=row.category,
            category_label=manage.CATEGORIES.get(row.category, ""),
            row=row,
        )


async def viewer_registration(info: Info, account_id: int) -> Registration | None:
    """``viewer.registration``: the candidat's own; null for other accounts."""
    row = await manage.registration_of(info.context.read_session(), account_id)
    return Registration.from_model(row) if row is not None else None


@strawberry.input(description="Réinscription (« me réinscrire »).")
class RegistrationRenewInput:
    category: int | None = strawberry.field(
        default=None, description="The category sought (1 to 5); unchanged when omitted."
    )


@strawberry.type(description="The result of registrationRenew or registrationStrikeOff.")
class RegistrationPayload:
    registration: Registration | None = strawberry.field(description="It, or null if refused.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.input(description="An adviser strikes a registration of their agency off.")
class RegistrationStrikeOffInput:
    identifiant: str = strawberry.field(description="The candidat's identifiant.")


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="An adviser of the candidat's agency strikes the registration off (RADIE); "
        "NOT_FOUND for a candidat of another agency, INVALID_TRANSITION when already RADIE."
    )
    async def registration_strike_off(
        self,
        info: Info,
        input: Annotated[
            RegistrationStrikeOffInput,
            strawberry.argument(description="The candidat to strike off (radier) and the reason."),
        ],
    ) -> RegistrationPayload:
        now = info.context.runtime.clock.now()
        return await run_mutation(
            info,
            RegistrationPayload,
            lambda session, viewer: manage.strike_off(
                session, viewer.account, input.identifiant, now
            ),
            lambda row: RegistrationPayload(
                registration=Registration.from_model(row), user_errors=[]
            ),
        )

    @strawberry.mutation(
        description="Register again after a cessation (or a striking off): INSCRIT from today. "
        "INVALID_TRANSITION when already registered."
    )
    async def registration_renew(
        self,
        info: Info,
        input: Annotated[
            RegistrationRenewInput,
            strawberry.argument(
                description="Renew the registration after a cessation d'inscription."
            ),
        ],
    ) -> RegistrationPayload:
        now = info.context.runtime.clock.now()
        return await run_mutation(
            info,
            RegistrationPayload,
            lambda session, viewer: manage.renew(session, viewer.account, input.category, now),
            lambda row: RegistrationPayload(
                registration=Registration.from_model(row), user_errors=[]
            ),
        )
