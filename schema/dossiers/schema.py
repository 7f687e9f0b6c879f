"""GraphQL operations of the dossiers domain: dossier mutations, e-mail confirmation resend,
the impacts of a change of contact details, and the agencies (``schema.agencies.schema``).

Types live in ``schema.dossiers.types``; the list is ``viewer { dossiers }``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry import relay

from resolvers.dossiers import manage as dossiers
from resolvers.dossiers import services as dossier_services
from resolvers.dossiers.fields import Civilite, Country, DossierInput, Qualification, Situation
from schema.agencies.schema import AgencyQuery
from schema.core.base import UserError, described_enum, user_errors
from schema.core.context import Info
from schema.core.ids import decode_global_id
from schema.dossiers.enums import CiviliteEnum, PaysEnum, QualificationEnum, SituationEnum
from schema.dossiers.types import Dossier

UNSET: Any = strawberry.UNSET
REQ = "Required. "

ServiceEnum = described_enum(
    dossier_services.Service,
    "DossierService",
    "A service that depends on the dossier's contact details.",
    {
        dossier_services.Service.ONLINE_APPLICATIONS: "Candidatures en ligne (need a phone).",
        dossier_services.Service.OFFER_SUBSCRIPTIONS: "Abonnements aux offres (need a confirmed "
        "e-mail address).",
        dossier_services.Service.EMAIL_CONFIRMATION: "Confirmation of the e-mail address.",
    },
)
EffectEnum = described_enum(
    dossier_services.Effect,
    "ChangeEffect",
    "What a change does to a service.",
    {
        dossier_services.Effect.SUSPENDED: "Suspended until the new address is confirmed.",
        dossier_services.Effect.DISABLED: "No longer possible.",
        dossier_services.Effect.ENABLED: "Becomes possible.",
        dossier_services.Effect.CONFIRMATION_REQUIRED: "A confirmation mail will be sent.",
    },
)


def _field(description: str) -> Any:
    return strawberry.field(default=UNSET, description=description)


@strawberry.input(description="The fields of the dossier form.")
class DossierFields:
    name: str | None = _field(REQ + "Nom du dossier (e.g. DRE1), unique per candidat.")
    civilite: CiviliteEnum | None = _field(REQ + "Civilité.")  # type: ignore[valid-type]
    nom: str | None = _field(REQ + "Nom.")
    prenom: str | None = _field(REQ + "Prénom.")
    pays: PaysEnum | None = _field("Country of the address; FRANCE when omitted.")  # type: ignore[valid-type]
    adresse: str | None = _field(REQ + "Number and street.")
    complement_adresse1: str | None = _field("Complément d'adresse (e.g. tour Mirabelle).")
    complement_adresse2: str | None = _field("Complément d'adresse (e.g. escalier C).")
    postal_code: str | None = _field(REQ + "Code postal: 5 digits in France, free-form abroad.")
    commune_insee: str | None = _field(
        "France: INSEE code of the commune de rattachement, one of the postal code's "
        "communes; may be omitted when the postal code has only one. Abroad: null."
    )
    commune_name: str | None = _field("Abroad (required): the town. France: null.")
    acheminement: str | None = _field("Acheminement postal (BP, cedex).")
    phone_mobile: str | None = _field(
        "Téléphone portable: a mobile number, stored E.164. National numbers are read for "
        "the address's country (France by default); others need their +prefix."
    )
    phone_fixe: str | None = _field("Téléphone fixe: a fixed line (or a box's 09), read the same.")
    email: str | None = _field("Adresse électronique (recommended); a confirmation mail is sent.")
    inscrit_pole_emploi: bool | None = _field(REQ + "Inscrit(e) à Pôle emploi.")
    identifiant_pole_emploi: str | None = _field(
        "Identifiant de demandeur d'emploi (7 digits and a letter), required when inscrit(e)."
    )
    agency_id: strawberry.ID | None = _field(
        "Global ID of the agency (mon pôle emploi), required when inscrit(e)."
    )
    birth_date: date | None = _field(REQ + "Date de naissance (age 14 to 100).")
    situation: SituationEnum | None = _field(REQ + "Situation professionnelle.")  # type: ignore[valid-type]
    qualification: QualificationEnum | None = _field(REQ + "Qualification.")  # type: ignore[valid-type]
    secret_question: str | None = _field(
        "The account's secret question, when it has none yet (refused once set)."
    )
    secret_answer: str | None = _field("The answer to the secret question.")

    def values(self) -> dict[str, Any]:
        """The fields given (UNSET ones left out), as ``DossierInput`` keyword arguments."""
        given = {
            key: value
            for key, value in vars(self).items()
            if value is not UNSET and key != "id" and not key.startswith("_")
        }
        if given.get("agency_id") is not None:
            # An ID that is not an agency's is simply an unknown agency (0 never exists).
            given["agency_id"] = decode_global_id(str(given["agency_id"]), "Agency") or 0
        for key, enum in (
            ("civilite", Civilite),
            ("pays", Country),
            ("situation", Situation),
            ("qualification", Qualification),
        ):
            if given.get(key) is not None:
                given[key] = enum(given[key])
        return given


@strawberry.input(description="A new dossier; every error of the form comes back at once.")
class DossierCreateInput(DossierFields):
    def to_data(self) -> DossierInput:
        return DossierInput(**self.values())


@strawberry.input(description="Changes to a dossier: omitted fields stay, null clears.")
class DossierUpdateInput(DossierFields):
    id: strawberry.ID = strawberry.field(description="The dossier's global ID.")


@strawberry.input(description="The dossier to delete.")
class DossierDeleteInput:
    id: strawberry.ID = strawberry.field(description="The dossier's global ID.")


@strawberry.input(description="The dossier whose confirmation mail is sent again.")
class EmailConfirmationResendInput:
    dossier_id: strawberry.ID = strawberry.field(description="The dossier's global ID.")


@strawberry.type(description="The result of a dossier mutation.")
class DossierPayload:
    dossier: Dossier | None = strawberry.field(description="The dossier, null when refused.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.type(description="The result of dossierDelete.")
class DossierDeletePayload:
    deleted_dossier_id: relay.GlobalID | None = strawberry.field(
        description="The global ID of the deleted dossier, null when refused."
    )
    user_errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.type(description="One effect of a change of contact details.")
class ChangeImpact:
    service: ServiceEnum = strawberry.field(description="The service concerned.")  # type: ignore[valid-type]
    effect: EffectEnum = strawberry.field(description="What happens to it.")  # type: ignore[valid-type]
    message: str = strawberry.field(description="The effect in French, for a person.")


@strawberry.type(description="What a change of contact details would do, before it is made.")
class DossierChangeImpacts:
    impacts: list[ChangeImpact] = strawberry.field(
        description="The effects (a handful at most); empty when nothing changes."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Problems with the proposed values (then impacts is empty)."
    )


def _dossier_id(raw: strawberry.ID) -> int:
    return decode_global_id(str(raw), "Dossier") or 0


@strawberry.type
class Query(AgencyQuery):
    @strawberry.field(
        description=(
            "What changing the dossier's e-mail or phones would do (Modifier mes coordonnées : "
            "les impacts), before the change is made. Omitted arguments stay as they are; null "
            "removes. Null when not signed in or the dossier is not found."
        )
    )
    async def dossier_change_impacts(
        self,
        info: Info,
        dossier_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The dossier's global ID."),
        ],
        email: Annotated[
            str | None,
            strawberry.argument(
                description="The e-mail address it would get; null removes it, omitted keeps it."
            ),
        ] = UNSET,
        phone_mobile: Annotated[
            str | None,
            strawberry.argument(
                description="The mobile number it would get; null removes it, omitted keeps it."
            ),
        ] = UNSET,
        phone_fixe: Annotated[
            str | None,
            strawberry.argument(
                description="The landline number it would get; null removes it, omitted keeps it."
            ),
        ] = UNSET,
    ) -> DossierChangeImpacts | None:
        viewer = info.context.viewer
        if viewer is None:
            return None
        session = info.context.read_session()
        found = await dossiers.dossiers_by_ids(
            session, viewer.account.id, [_dossier_id(dossier_id)]
        )
        if not found:
            return None
        proposed = {"email": email, "phone_mobile": phone_mobile, "phone_fixe": phone_fixe}
        result = dossier_services.change_impacts(
            next(iter(found.values())), {k: v for k, v in proposed.items() if v is not UNSET}
        )
        return DossierChangeImpacts(
            impacts=[
                ChangeImpact(service=i.service, effect=i.effect, message=i.message)
                for i in result.impacts
            ],
            user_errors=user_errors(result.errors),
        )
