"""GraphQL types of the dossiers domain: the dossier, its agency, phones and capabilities."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import strawberry
from strawberry import relay

from models.dossiers import Agency as AgencyModel
from models.dossiers import Dossier as DossierModel
from models.identity import AccountKind
from resolvers.core.paging import KeysetPage, Window, count_rows, keyset_page
from resolvers.dossiers import services as dossier_services
from resolvers.dossiers.fields import (
    Civilite,
    Country,
    Qualification,
    Situation,
)
from resolvers.dossiers.manage import dossiers_by_ids, dossiers_select
from schema.alerts.types import AlertConnection, dossier_alerts
from schema.classeur.schema import SavedSearchConnection, dossier_saved_searches
from schema.core.base import After, First, UserErrorCode
from schema.core.context import Info
from schema.core.ids import database_id
from schema.core.paging import (
    TOTAL_COUNT,
    Before,
    Last,
    count_of,
    empty_page,
    paged_connection,
    window,
)
from schema.core.phone import PhoneNumber
from schema.cvs.types import CvConnection, dossier_cvs
from schema.dossiers.enums import CiviliteEnum, PaysEnum, QualificationEnum, SituationEnum
from schema.reference.schema import Commune


@strawberry.type(description="Whether a service is available, and if not, why.")
class Capability:
    allowed: bool = strawberry.field(description="True when the service can be used.")
    reason: UserErrorCode | None = strawberry.field(  # type: ignore[valid-type]
        description="Why not: PHONE_REQUIRED, NO_EMAIL or EMAIL_NOT_CONFIRMED; null if allowed."
    )
    message: str | None = strawberry.field(description="The reason in French, for a person.")

    @classmethod
    def from_data(cls, c: dossier_services.Capability) -> Capability:
        return cls(allowed=c.allowed, reason=c.reason, message=c.message)


@strawberry.type(description="What the dossier's contact details allow.")
class DossierCapabilities:
    can_apply_online: Capability = strawberry.field(
        description="Online applications need a phone number (mobile or fixe)."
    )
    can_subscribe_to_offers: Capability = strawberry.field(
        description=(
            "Offer subscriptions need a confirmed e-mail address: reason NO_EMAIL without an "
            "address, EMAIL_NOT_CONFIRMED until its confirmation link is used."
        )
    )


@strawberry.type(name="Agency", description='An agency ("mon pôle emploi"), managed by advisers.')
class Agency(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="The agency's code, unique (e.g. GUI01).")
    name: str = strawberry.field(description="Name, e.g. Pôle emploi Guingamp.")
    address: str = strawberry.field(description="Street address (may be empty).")
    postal_code: str = strawberry.field(description="Postal code.")
    commune_insee: strawberry.Private[str]

    @strawberry.field(description="The agency's commune (from the reference data).")
    def commune(self, info: Info) -> Commune | None:
        found = info.context.runtime.refdata.commune(self.commune_insee, self.postal_code)
        return Commune.from_data(found) if found else None

    @classmethod
    def from_model(cls, row: AgencyModel) -> Agency:
        return cls(
            id=row.id,
            code=row.code,
            name=row.name,
            address=row.address,
            postal_code=row.postal_code,
            commune_insee=row.commune_insee,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Agency | None]:
        ids = [database_id(i) for i in node_ids]
        rows = await info.context.loaders.agency_by_id.load_many([i or 0 for i in ids])
        return [cls.from_model(r) if r is not None else None for r in rows]


@strawberry.type(name="Dossier", description="A dossier de recherche d'emploi (DRE).")
class Dossier(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Nom du dossier (e.g. DRE1), unique per candidat.")
    civilite: CiviliteEnum = strawberry.field(description="Civilité.")  # type: ignore[valid-type]
    nom: str = strawberry.field(description="Nom (last name).")
    prenom: str = strawberry.field(description="Prénom (first name).")
    pays: PaysEnum = strawberry.field(description="Country of the address.")  # type: ignore[valid-type]
    adresse: str = strawberry.field(description="Number and street.")
    complement_adresse1: str | None = strawberry.field(description="First complement line.")
    complement_adresse2: str | None = strawberry.field(description="Second complement line.")
    postal_code: str = strawberry.field(description="Postal code (free-form abroad).")
    commune_name: str = strawberry.field(description="Name of the commune (or town abroad).")
    acheminement: str | None = strawberry.field(description="Acheminement postal (BP, cedex).")
    email: str | None = strawberry.field(description="Adresse électronique, if any.")
    email_confirmed: bool = strawberry.field(
        description="True once the link of the confirmation mail was used for this address."
    )
    email_confirmed_at: datetime | None = strawberry.field(description="When it was confirmed.")
    inscrit_pole_emploi: bool = strawberry.field(description="Inscrit(e) à Pôle emploi.")
    identifiant_pole_emploi: str | None = strawberry.field(
        description="Identifiant de demandeur d'emploi (7 digits and a letter) when inscrit(e)."
    )
    birth_date: date = strawberry.field(description="Date de naissance.")
    situation: SituationEnum = strawberry.field(  # type: ignore[valid-type]
        description="Situation professionnelle."
    )
    qualification: QualificationEnum = strawberry.field(  # type: ignore[valid-type]
        description="Niveau de qualification."
    )
    created_at: datetime = strawberry.field(description="When the dossier was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    row: strawberry.Private[DossierModel]

    @strawberry.field(description="The commune de rattachement (France only; null abroad).")
    def commune(self, info: Info) -> Commune | None:
        if self.row.commune_insee is None:
            return None
        found = info.context.runtime.refdata.commune(self.row.commune_insee, self.postal_code)
        return Commune.from_data(found) if found else None

    @strawberry.field(description="Téléphone portable.")
    def phone_mobile(self) -> PhoneNumber | None:
        return PhoneNumber.from_e164(self.row.phone_mobile)

    @strawberry.field(description="Téléphone fixe.")
    def phone_fixe(self) -> PhoneNumber | None:
        return PhoneNumber.from_e164(self.row.phone_fixe)

    @strawberry.field(description="The candidat's agency (mon pôle emploi) when inscrit(e).")
    async def agency(self, info: Info) -> Agency | None:
        if self.row.agency_id is None:
            return None
        row = await info.context.loaders.agency_by_id.load(self.row.agency_id)
        return Agency.from_model(row) if row is not None else None

    @strawberry.field(description="The dossier's saved search criteria, oldest first.")
    async def saved_searches(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> SavedSearchConnection:
        asked = window(info, first, after, last, before)
        return await dossier_saved_searches(info, self.row.account_id, self.id, asked)

    @strawberry.field(description="The dossier's abonnements aux offres (alerts), oldest first.")
    async def alerts(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> AlertConnection:
        asked = window(info, first, after, last, before)
        return await dossier_alerts(info, self.row.account_id, self.id, asked)

    @strawberry.field(description="The dossier's CVs, oldest first.")
    async def cvs(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> CvConnection:
        asked = window(info, first, after, last, before)
        return await dossier_cvs(info, self.row, asked)

    @strawberry.field(description="Which services the contact details allow.")
    def capabilities(self) -> DossierCapabilities:
        found = dossier_services.capabilities(self.row)
        return DossierCapabilities(
            can_apply_online=Capability.from_data(found.can_apply_online),
            can_subscribe_to_offers=Capability.from_data(found.can_subscribe_to_offers),
        )

    @classmethod
    def from_model(cls, row: DossierModel) -> Dossier:
        return cls(
            id=row.id,
            name=row.name,
            civilite=Civilite(row.civilite),
            nom=row.nom,
            prenom=row.prenom,
            pays=Country(row.pays),
            adresse=row.adresse,
            complement_adresse1=row.complement1,
            complement_adresse2=row.complement2,
            postal_code=row.postal_code,
            commune_name=row.commune_name,
            acheminement=row.acheminement,
            email=row.email,
            email_confirmed=row.email is not None and row.email_confirmed_at is not None,
            email_confirmed_at=row.email_confirmed_at,
            inscrit_pole_emploi=row.registered,
            identifiant_pole_emploi=row.registered_identifiant,
            birth_date=row.birth_date,
            situation=Situation(row.situation),
            qualification=Qualification(row.qualification),
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Dossier | None]:
        ids = [database_id(i) for i in node_ids]
        viewer = info.context.viewer
        if viewer is None:
            return [None for _ in ids]
        session = info.context.read_session()
        found = await dossiers_by_ids(session, viewer.account.id, [i for i in ids if i is not None])
        return [cls.from_model(found[i]) if i in found else None for i in ids]


@strawberry.type(description="A page of dossiers, oldest first.")
class DossierConnection(relay.Connection[Dossier]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


@strawberry.type(description="A page of agencies, oldest first.")
class AgencyConnection(relay.Connection[Agency]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


async def viewer_dossiers(
    info: Info, account_id: int, kind: str, asked: Window
) -> DossierConnection:
    """The ``viewer.dossiers`` connection: a candidat's dossiers; empty for other accounts."""
    if kind != AccountKind.CANDIDAT:
        return paged_connection(DossierConnection, empty_page(), Dossier.from_model, _row_id)
    session = info.context.read_session()
    stmt = dossiers_select(account_id, None)
    if asked.forward_only:  # the batched loader, primed by the viewer's prefetch
        loader = info.context.loaders.dossier_page_by_account
        rows, more = await loader.load((account_id, asked.after, asked.limit))
        page = KeysetPage(list(rows), has_next=more, has_previous=asked.after is not None)
    else:
        page = await keyset_page(session, stmt, DossierModel.id, False, asked)
    count = lambda: count_rows(session, stmt)  # noqa: E731
    return paged_connection(DossierConnection, page, Dossier.from_model, _row_id, count)


def _row_id(row: DossierModel) -> int:
    return row.id
