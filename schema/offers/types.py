"""GraphQL types of the offers domain: the offer (FT v2 vocabulary), its company, enums."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay

from models.base import utcnow
from models.offers import Company as CompanyModel
from models.offers import Offer as OfferModel
from models.offers import OfferStatus
from resolvers.core.paging import Window
from resolvers.dossiers.fields import QUALIFICATION_LABELS, Qualification
from resolvers.offers import fields as f
from resolvers.offers.manage import company_offers_count, company_offers_page, visible_to
from schema.core.base import After, First
from schema.core.context import Info
from schema.core.ids import database_id
from schema.core.paging import TOTAL_COUNT, Before, Last, count_of, paged_connection, window
from schema.dossiers.enums import QualificationEnum
from schema.offers.enums import (
    CompanySizeEnum,
    DureeTravailEnum,
    ExperienceExigeEnum,
    NatureContratEnum,
    OfferStatusEnum,
    TypeContratEnum,
)
from schema.offers.parts import (
    Contact,
    Formation,
    LieuTravail,
    Requirement,
    Salaire,
    contact_of,
    duree_label,
    lieu_travail_of,
    requirements_of,
    salaire_of,
)
from schema.reference.schema import Metier


@strawberry.type(description="An employer's company.")
class Company(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Raison sociale or trade name.")
    siret: str | None = strawberry.field(description="SIRET, 14 digits (checked by Luhn).")
    naf_code: str | None = strawberry.field(description="Code NAF rév. 2, e.g. 10.71C.")
    size_band: CompanySizeEnum | None = strawberry.field(description="Tranche d'effectif.")  # type: ignore[valid-type]
    description: str | None = strawberry.field(description="Presentation of the company.")
    account_id: strawberry.Private[int]

    @strawberry.field(
        description="Its offers, newest first: all of them for its employer (optionally only "
        "some statuses); published ones for everyone else."
    )
    async def offers(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        statuses: Annotated[
            list[OfferStatusEnum] | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="Only the offers in these statuses (for the employer's own list); "
                "every status when omitted."
            ),
        ] = None,
        last: Last = None,
        before: Before = None,
    ) -> OfferConnection:
        return await company_offers(info, self, window(info, first, after, last, before), statuses)

    @classmethod
    def from_model(cls, row: CompanyModel) -> Company:
        return cls(
            id=row.id,
            name=row.name,
            siret=row.siret,
            naf_code=row.naf_code,
            size_band=f.CompanySize(row.size_band) if row.size_band else None,
            description=row.description,
            account_id=row.account_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Company | None]:
        rows = await info.context.loaders.company_by_id.load_many(
            [database_id(i) or 0 for i in node_ids]
        )
        return [cls.from_model(r) if r is not None else None for r in rows]


@strawberry.type(description="Who offers the job: a company here, or an imported employer.")
class OfferEmployer:
    name: str = strawberry.field(description="The employer's name.")
    description: str | None = strawberry.field(description="About the employer.")
    company: Company | None = strawberry.field(description="The company, for offers posted here.")


@strawberry.type(description="A job offer (FT v2 « Offres d'emploi » vocabulary).")
class Offer(relay.Node):
    id: relay.NodeID[int]
    number: str = strawberry.field(description="Public number, 3 digits and 4 letters (048KLTP).")
    status: OfferStatusEnum = strawberry.field(description="Brouillon, publiée, suspendue…")  # type: ignore[valid-type]
    intitule: str = strawberry.field(description="Intitulé (job title as posted).")
    description: str = strawberry.field(description="Description of the job.")
    lieu_travail: LieuTravail = strawberry.field(description="Lieu de travail.")
    rome_code: str = strawberry.field(description="ROME code of the métier (v460).")
    rome_libelle: str = strawberry.field(description="Label of the ROME métier.")
    appellation_code: str | None = strawberry.field(description="OGR code of the appellation.")
    appellation_libelle: str | None = strawberry.field(description="Label of the appellation.")
    type_contrat: TypeContratEnum = strawberry.field(description="Type de contrat.")  # type: ignore[valid-type]
    type_contrat_libelle: str = strawberry.field(description="Its label.")
    nature_contrat: NatureContratEnum = strawberry.field(description="Nature du contrat.")  # type: ignore[valid-type]
    nature_contrat_libelle: str = strawberry.field(description="Its label.")
    duree_contrat_mois: int | None = strawberry.field(description="Length of the contract.")
    experience_exige: ExperienceExigeEnum = strawberry.field(description="D, S or E.")  # type: ignore[valid-type]
    experience_mois: int | None = strawberry.field(description="Experience asked, in months.")
    experience_libelle: str = strawberry.field(description="« Expérience exigée de 2 An(s) ».")
    qualification: QualificationEnum | None = strawberry.field(description="Qualification 1-9.")  # type: ignore[valid-type]
    qualification_libelle: str | None = strawberry.field(description="Its label.")
    salaire: Salaire | None = strawberry.field(description="Salary, when given.")
    duree_travail: DureeTravailEnum | None = strawberry.field(description="Full or part time.")  # type: ignore[valid-type]
    heures_hebdo: float | None = strawberry.field(description="Hours per week.")
    duree_travail_libelle: str | None = strawberry.field(description="« 35H Temps plein ».")
    formations: list[Formation] = strawberry.field(description="Training asked for.")
    permis: list[Requirement] = strawberry.field(description="Driving licences.")
    langues: list[Requirement] = strawberry.field(description="Languages.")
    competences: list[Requirement] = strawberry.field(description="Skills.")
    nombre_postes: int = strawberry.field(description="Number of posts.")
    accessible_th: bool = strawberry.field(
        name="accessibleTH", description="Open to disabled workers (travailleurs handicapés)."
    )
    contact: Contact | None = strawberry.field(description="How to apply.")
    origin: str = strawberry.field(description="ESPACE for offers posted here, else the source.")
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    published_at: datetime | None = strawberry.field(description="When first published.")
    closed_at: datetime | None = strawberry.field(description="When it was closed.")
    expires_at: datetime | None = strawberry.field(description="When it stops being shown.")
    row: strawberry.Private[OfferModel]

    @strawberry.field(description="The ROME métier (reference data).")
    def metier(self) -> Metier:
        return Metier(code=self.row.rome_code, libelle=self.row.rome_libelle)

    @strawberry.field(description="Who offers the job.")
    async def entreprise(self, info: Info) -> OfferEmployer:
        row = self.row
        if row.company_id is None:
            extra = row.employer_info or {}
            return OfferEmployer(
                name=row.employer_name or "", description=extra.get("description"), company=None
            )
        company = await info.context.loaders.company_by_id.load(row.company_id)
        if company is None:  # pragma: no cover - the foreign key cascades
            return OfferEmployer(name="", description=None, company=None)
        return OfferEmployer(
            name=company.name, description=company.description, company=Company.from_model(company)
        )

    @strawberry.field(description="True when the signed-in candidat keeps it in the classeur.")
    async def saved_in_classeur(self, info: Info) -> bool:
        if info.context.viewer is None:
            return False
        return bool(await info.context.loaders.classeur_flag_by_offer_id.load(self.id))

    @classmethod
    def from_model(cls, row: OfferModel) -> Offer:
        return cls(
            id=row.id,
            number=row.number,
            status=OfferStatus(row.status),
            intitule=row.intitule,
            description=row.description,
            lieu_travail=lieu_travail_of(row),
            rome_code=row.rome_code,
            rome_libelle=row.rome_libelle,
            appellation_code=row.appellation_code,
            appellation_libelle=row.appellation_libelle,
            type_contrat=f.TypeContrat(row.type_contrat),
            type_contrat_libelle=f.TYPE_CONTRAT_LABELS[f.TypeContrat(row.type_contrat)],
            nature_contrat=f.NatureContrat(row.nature_contrat),
            nature_contrat_libelle=f.NATURE_CONTRAT_LABELS[f.NatureContrat(row.nature_contrat)],
            duree_contrat_mois=row.duree_contrat_mois,
            experience_exige=f.ExperienceExige(row.experience_exige),
            experience_mois=row.experience_mois,
            experience_libelle=f.experience_label(
                f.ExperienceExige(row.experience_exige), row.experience_mois
            ),
            qualification=Qualification(row.qualification) if row.qualification else None,
            qualification_libelle=QUALIFICATION_LABELS[Qualification(row.qualification)]
            if row.qualification
            else None,
            salaire=salaire_of(row),
            duree_travail=f.DureeTravail(row.duree_travail) if row.duree_travail else None,
            heures_hebdo=row.heures_hebdo,
            duree_travail_libelle=duree_label(row),
            formations=[
                Formation(
                    niveau=f.NiveauFormation(x["niveau"]) if x.get("niveau") else None,
                    niveau_libelle=f.NIVEAU_FORMATION_LABELS[f.NiveauFormation(x["niveau"])]
                    if x.get("niveau")
                    else None,
                    domaine=x.get("domaine"),
                    exigence=f.Exigence(x["exigence"]),
                )
                for x in row.formations
            ],
            permis=requirements_of(row.permis),
            langues=requirements_of(row.langues),
            competences=requirements_of(row.competences),
            nombre_postes=row.nombre_postes,
            accessible_th=row.accessible_th,
            contact=contact_of(row.contact),
            origin=row.origin,
            created_at=row.created_at,
            updated_at=row.updated_at,
            published_at=row.published_at,
            closed_at=row.closed_at,
            expires_at=row.expires_at,
            row=row,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Offer | None]:
        """Offers the viewer may see (its own, or published ones); others are not found."""
        viewer = info.context.viewer
        account_id = viewer.account.id if viewer else None
        rows = await info.context.loaders.offer_by_id.load_many(
            [database_id(i) or 0 for i in node_ids]
        )
        now = utcnow()
        return [
            cls.from_model(r) if r is not None and visible_to(r, account_id, now) else None
            for r in rows
        ]


@strawberry.type(description="A page of offers.")
class OfferConnection(relay.Connection[Offer]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


async def company_offers(
    info: Info, company: Company, asked: Window, statuses: Any
) -> OfferConnection:
    """Its employer sees every offer (or the statuses asked for); others, published ones."""
    viewer = info.context.viewer
    if viewer is not None and viewer.account.id == company.account_id:
        wanted = [OfferStatus(s).value for s in statuses] if statuses else list(OfferStatus)
    else:
        wanted = [OfferStatus.PUBLISHED.value]
    session = info.context.read_session()
    statuses_wanted = [str(s) for s in wanted]
    page = await company_offers_page(session, company.id, statuses_wanted, asked)
    return paged_connection(
        OfferConnection,
        page,
        Offer.from_model,
        key=lambda r: r.id,
        count=lambda: company_offers_count(session, company.id, statuses_wanted),
    )
