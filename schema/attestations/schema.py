"""Attestations: ``attestationRequest`` issues one; ``viewer.attestations`` lists them; the
PDF downloads from ``espace.web.attestation_pages``, which also serves the public
verification page."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.attestations import AttestationKind
from resolvers.attestations import issue
from schema.attestations.types import Attestation, AttestationKindEnum
from schema.core.base import UserError
from schema.core.context import Info
from schema.core.runner import run_mutation


@strawberry.input(description="The attestation the candidat asks for.")
class AttestationRequestInput:
    kind: AttestationKindEnum = strawberry.field(description="Which attestation.")  # type: ignore[valid-type]
    year: int | None = strawberry.field(
        default=None, description="FISCALE: the calendar year (last year when left out)."
    )


@strawberry.type(description="The result of attestationRequest.")
class AttestationRequestPayload:
    attestation: Attestation | None = strawberry.field(description="It, or null if refused.")
    user_errors: list[UserError] = strawberry.field(
        description="What was wrong: ATTESTATION_UNAVAILABLE when the dossier cannot give "
        "one (no registration, no payment yet, or a kind not yet online)."
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Issue an attestation now, from the dossier as it is; candidats only."
    )
    async def attestation_request(
        self,
        info: Info,
        input: Annotated[
            AttestationRequestInput,
            strawberry.argument(
                description="The kind of attestation to produce (and its year for FISCALE)."
            ),
        ],
    ) -> AttestationRequestPayload:
        runtime = info.context.runtime
        return await run_mutation(
            info,
            AttestationRequestPayload,
            lambda session, viewer: issue.request_attestation(
                session, runtime, viewer.account, AttestationKind(input.kind), input.year
            ),
            lambda row: AttestationRequestPayload(
                attestation=Attestation.from_model(row), user_errors=[]
            ),
        )
