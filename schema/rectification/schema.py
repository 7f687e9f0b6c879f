"""``identityRectify``: correct civilité, nom and prénom (RGPD art. 16), with the audit
trail read in ``viewer.personalDataChanges``."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.dossiers.fields import Civilite
from resolvers.rectification.identity import Identity, rectify_identity
from schema.core.base import UserError
from schema.core.context import Info
from schema.core.runner import run_mutation
from schema.dossiers.enums import CiviliteEnum


@strawberry.input(
    description="The candidat's civilité, nom and prénom as they should read everywhere."
)
class IdentityRectifyInput:
    identifiant: str | None = strawberry.field(
        default=None,
        description="For an adviser: the candidat's identifiant (NOT_FOUND unless the "
        "candidat is registered at the adviser's agency). A candidat omits it.",
    )
    civilite: CiviliteEnum = strawberry.field(description="Civilité.")  # type: ignore[valid-type]
    nom: str = strawberry.field(description="Nom (last name), 1 to 100 characters.")
    prenom: str = strawberry.field(description="Prénom (first name), 1 to 100 characters.")


@strawberry.type(description="Civilité, nom and prénom as the candidat's dossiers hold them.")
class RectifiedIdentity:
    civilite: CiviliteEnum = strawberry.field(description="Civilité.")  # type: ignore[valid-type]
    nom: str = strawberry.field(description="Nom (last name).")
    prenom: str = strawberry.field(description="Prénom (first name).")
    dossier_count: int = strawberry.field(description="How many dossiers carry them.")
    changed_fields: list[str] = strawberry.field(
        description="The fields that changed (civilite, nom, prenom); empty when the values "
        "were already these."
    )

    @classmethod
    def from_identity(cls, found: Identity) -> RectifiedIdentity:
        return cls(
            civilite=found.civilite,
            nom=found.nom,
            prenom=found.prenom,
            dossier_count=found.dossiers,
            changed_fields=list(found.changed),
        )


@strawberry.type(description="The result of identityRectify.")
class IdentityRectifyPayload:
    identity: RectifiedIdentity | None = strawberry.field(
        description="The identity now held, or null if refused."
    )
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Correct civilité, nom and prénom on every dossier of the candidat (the "
        "signed-in candidat, or a candidat of the adviser's agency). Each changed field is "
        "kept in viewer.personalDataChanges (who, when, old and new value). NOT_FOUND "
        "without a dossier; WRONG_ACCOUNT_KIND for employers."
    )
    async def identity_rectify(
        self,
        info: Info,
        input: Annotated[
            IdentityRectifyInput,
            strawberry.argument(description="The candidat and their corrected identity."),
        ],
    ) -> IdentityRectifyPayload:
        clock = info.context.runtime.clock
        return await run_mutation(
            info,
            IdentityRectifyPayload,
            lambda session, viewer: rectify_identity(
                session,
                viewer.account,
                input.identifiant,
                Civilite(input.civilite),
                input.nom,
                input.prenom,
                clock.now(),
            ),
            lambda found: IdentityRectifyPayload(
                identity=RectifiedIdentity.from_identity(found), user_errors=[]
            ),
        )
