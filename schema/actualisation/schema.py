"""``actualisationSubmit`` (once per month, while its window is open) and
``actualisationCorrect`` (while it is still open; every version is kept)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.actualisation import submit
from schema.actualisation.documents import DocumentMutation
from schema.actualisation.inputs import ActualisationInput
from schema.actualisation.types import Actualisation
from schema.core.base import UserError
from schema.core.context import Info
from schema.core.runner import run_mutation


@strawberry.type(description="The result of a declaration or of its correction.")
class ActualisationPayload:
    actualisation: Actualisation | None = strawberry.field(
        description="The declaration with its receipt, or null if refused."
    )
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


async def _send(info: Info, input: ActualisationInput, correcting: bool) -> ActualisationPayload:
    runtime = info.context.runtime
    answers = input.to_answers()
    return await run_mutation(
        info,
        ActualisationPayload,
        lambda session, viewer: submit.submit(
            session, runtime, viewer.account, answers, correcting
        ),
        lambda row: ActualisationPayload(
            actualisation=Actualisation.from_model(row), user_errors=[]
        ),
    )


@strawberry.type
class Mutation(DocumentMutation):
    @strawberry.mutation(
        description="Je m'actualise: record this month's declaration while its window is open "
        "(WINDOW_CLOSED otherwise; ALREADY_DECLARED the second time: correct it instead; "
        "NOT_REGISTERED after a cessation). The receipt comes by mail and as a PDF."
    )
    async def actualisation_submit(
        self,
        info: Info,
        input: Annotated[
            ActualisationInput,
            strawberry.argument(
                description="The month's declaration (actualisation): the seven answers."
            ),
        ],
    ) -> ActualisationPayload:
        return await _send(info, input, correcting=False)

    @strawberry.mutation(
        description="Correct this month's declaration while its window is still open; the "
        "previous versions are kept. A new receipt comes by mail."
    )
    async def actualisation_correct(
        self,
        info: Info,
        input: Annotated[
            ActualisationInput,
            strawberry.argument(description="The corrected answers of the month's declaration."),
        ],
    ) -> ActualisationPayload:
        return await _send(info, input, correcting=True)
