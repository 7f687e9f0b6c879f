"""GraphQL types of télécandidatures: the application, its history, the applicant's contact,
and the ``viewer.applications`` / ``viewer.receivedApplications`` connections.

Applying discloses the candidat (name and contact of the dossier) to the offer's employer,
for that application, until the candidat withdraws it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from models.applications import Actor, ApplicationStatus
from models.applications import Application as ApplicationModel
from models.applications import ApplicationChange as ChangeModel
from models.dossiers import Dossier as DossierModel
from models.identity import AccountKind
from models.privacy_log import AccessKind
from resolvers.applications import reads as applications_reads
from resolvers.core.paging import KeysetPage, Window, count_rows
from resolvers.cvs.manage import Audience
from resolvers.dossiers.fields import Civilite
from resolvers.erasure.tables import ERASED_LABEL
from schema.access_log.note import saw
from schema.core.base import described_enum
from schema.core.context import Info
from schema.core.ids import database_id, decode_global_id
from schema.core.paging import TOTAL_COUNT, count_of, empty_page, paged_connection
from schema.core.phone import PhoneNumber
from schema.cvs.types import Cv
from schema.dossiers.enums import CiviliteEnum
from schema.dossiers.types import Dossier
from schema.offers.types import Offer

ApplicationStatusEnum = described_enum(
    ApplicationStatus,
    "ApplicationStatus",
    "SENT -> VIEWED -> IN_PROGRESS -> ACCEPTED | REFUSED (the employer moves it "
    "on); WITHDRAWN by the candidat before a decision.",
    {
        ApplicationStatus.SENT: "Envoyée: the employer has not opened it yet.",
        ApplicationStatus.VIEWED: "Consultée: the employer has opened it.",
        ApplicationStatus.IN_PROGRESS: "En cours d'étude: the employer is considering it.",
        ApplicationStatus.ACCEPTED: "Retenue: the employer wants to go on with the candidat.",
        ApplicationStatus.REFUSED: "Non retenue: the employer declined it.",
        ApplicationStatus.WITHDRAWN: "Retirée: the candidat withdrew it before a decision.",
    },
)
ApplicationActorEnum = described_enum(
    Actor,
    "ApplicationActor",
    "Who changed an application.",
    {Actor.CANDIDAT: "The candidat who applied.", Actor.EMPLOYER: "The offer's employer."},
)


@strawberry.type(
    description="A candidat's name and contact, as the dossier holds them. An employer sees "
    "them only where the candidat disclosed them: by applying to one of the employer's offers "
    "(until withdrawn), or by accepting the employer's proposal."
)
class CandidateContact:
    civilite: CiviliteEnum = strawberry.field(description="Civilité.")  # type: ignore[valid-type]
    nom: str = strawberry.field(description="Nom (last name).")
    prenom: str = strawberry.field(description="Prénom (first name).")
    email: str | None = strawberry.field(description="Adresse électronique, if any.")
    phone_mobile: PhoneNumber | None = strawberry.field(description="Téléphone portable.")
    phone_fixe: PhoneNumber | None = strawberry.field(description="Téléphone fixe.")
    postal_code: str = strawberry.field(description="Postal code.")
    commune_name: str = strawberry.field(description="Commune (or town abroad).")

    @classmethod
    def erased(cls, row: DossierModel) -> CandidateContact:
        """What the employer sees of an erased applicant (or of an anonymized application)."""
        return cls(
            civilite=Civilite(row.civilite),
            nom=ERASED_LABEL,
            prenom="",
            email=None,
            phone_mobile=None,
            phone_fixe=None,
            postal_code="",
            commune_name="",
        )

    @classmethod
    def from_dossier(cls, row: DossierModel) -> CandidateContact:
        return cls(
            civilite=Civilite(row.civilite),
            nom=row.nom,
            prenom=row.prenom,
            email=row.email,
            phone_mobile=PhoneNumber.from_e164(row.phone_mobile),
            phone_fixe=PhoneNumber.from_e164(row.phone_fixe),
            postal_code=row.postal_code,
            commune_name=row.commune_name,
        )


@strawberry.type(description="One status an application reached.")
class ApplicationChange:
    status: ApplicationStatusEnum = strawberry.field(description="The status reached.")  # type: ignore[valid-type]
    at: datetime = strawberry.field(description="When (UTC).")
    by: ApplicationActorEnum = strawberry.field(description="Who made the change.")  # type: ignore[valid-type]
    message: str | None = strawberry.field(description="The message given with it, if any.")

    @classmethod
    def from_model(cls, row: ChangeModel) -> ApplicationChange:
        return cls(
            status=ApplicationStatus(row.status), at=row.at, by=Actor(row.by), message=row.message
        )


@strawberry.type(
    description="A télécandidature: a candidat's application to an offer, with a CV and a "
    "message. Seen by the candidat who sent it and by the offer's employer only."
)
class Application(relay.Node):
    id: relay.NodeID[int]
    status: ApplicationStatusEnum = strawberry.field(description="Where it stands.")  # type: ignore[valid-type]
    message: str = strawberry.field(description="The candidat's message to the employer.")
    submitted_at: datetime = strawberry.field(description="When it was sent (UTC).")
    updated_at: datetime = strawberry.field(description="When its status last changed.")
    row: strawberry.Private[ApplicationModel]

    @strawberry.field(description="The offer, as it is now (also when closed since).")
    async def offer(self, info: Info) -> Offer | None:
        found = await info.context.loaders.offer_by_id.load(self.row.offer_id)
        return Offer.from_model(found) if found is not None else None

    @strawberry.field(description="Each status it reached, oldest first (SENT first).")
    async def history(self, info: Info) -> list[ApplicationChange]:
        loader = info.context.loaders.application_changes_by_application_id
        return [ApplicationChange.from_model(c) for c in await loader.load(self.id)]

    @strawberry.field(
        description="The CV sent with it. Applying discloses it to the offer's employer "
        "whatever its visibility (with the applicant's name, as `applicant`), until the "
        "application is withdrawn. Null once deleted."
    )
    async def cv(self, info: Info) -> Cv | None:
        if _is_candidat(info, self.row):
            return await visible_cv(info, self.row.cv_id)
        if self.row.cv_id is None or self.row.status == ApplicationStatus.WITHDRAWN:
            return None
        # The node resolved, so the viewer is the employer of the offer applied to.
        found = await info.context.loaders.cv_by_id.load(self.row.cv_id)
        if found is None:
            return None
        cv, dossier = found
        saw(info, cv.account_id, AccessKind.CV_OPENED, cv.id)
        return Cv.from_model(cv, dossier, Audience.EMPLOYER)

    @strawberry.field(description="The dossier it was sent from; for the candidat only.")
    async def dossier(self, info: Info) -> Dossier | None:
        if not _is_candidat(info, self.row):
            return None
        found = await info.context.loaders.dossier_by_id.load(self.row.dossier_id)
        return Dossier.from_model(found) if found is not None else None

    @strawberry.field(
        description="The applicant's name and contact: applying discloses them to the offer's "
        "employer; null for the employer once the application is withdrawn."
    )
    async def applicant(self, info: Info) -> CandidateContact | None:
        withdrawn = self.row.status == ApplicationStatus.WITHDRAWN
        if not _is_candidat(info, self.row) and withdrawn:
            return None
        found = await info.context.loaders.dossier_by_id.load(self.row.dossier_id)
        if found is None:
            return None
        if self.row.anonymized_at is not None and not _is_candidat(info, self.row):
            return CandidateContact.erased(found)
        saw(info, self.row.account_id, AccessKind.APPLICATION_OPENED, self.row.id)
        return CandidateContact.from_dossier(found)

    @classmethod
    def from_model(cls, row: ApplicationModel) -> Application:
        return cls(
            id=row.id,
            status=ApplicationStatus(row.status),
            message=row.message,
            submitted_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Application | None]:
        """The viewer's applications (sent, or received for its offers); others not found."""
        ids = [database_id(i) or 0 for i in node_ids]
        viewer = info.context.viewer
        if viewer is None:
            return [None for _ in ids]
        found = await applications_reads.applications_by_ids(
            info.context.read_session(), viewer.account.id, ids
        )
        return [cls.from_model(found[i]) if i in found else None for i in ids]


async def visible_cv(info: Info, cv_id: int | None) -> Cv | None:
    """The CV as the CV domain's visibility rules let the viewer see it (batched)."""
    if cv_id is None:
        return None
    [found] = await Cv.resolve_nodes(info=info, node_ids=[str(cv_id)])
    return found


def _is_candidat(info: Info, row: ApplicationModel) -> bool:
    viewer = info.context.viewer
    return viewer is not None and viewer.account.id == row.account_id


@strawberry.type(description="A page of applications, newest first.")
class ApplicationConnection(relay.Connection[Application]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


async def viewer_applications(
    info: Info, account_id: int, kind: str, asked: Window
) -> ApplicationConnection:
    """``viewer.applications``: the candidat's own; empty for other accounts."""
    if kind != AccountKind.CANDIDAT:
        return _empty()
    session = info.context.read_session()
    stmt = applications_reads.own_applications_select(account_id)
    if asked.forward_only:  # the batched loader, primed by the viewer's prefetch
        loader = info.context.loaders.application_page_by_account
        rows, more = await loader.load((account_id, asked.after, asked.limit))
        page = KeysetPage(list(rows), has_next=more, has_previous=asked.after is not None)
    else:
        page = await applications_reads.applications_page(session, stmt, asked)
    return paged_connection(
        ApplicationConnection, page, Application.from_model, _key, lambda: count_rows(session, stmt)
    )


async def viewer_received_applications(
    info: Info,
    account_id: int,
    kind: str,
    asked: Window,
    offer_id: strawberry.ID | None,
    statuses: list[ApplicationStatus] | None,
) -> ApplicationConnection:
    """``viewer.receivedApplications``: applications to the employer's own offers only."""
    if kind != AccountKind.EMPLOYEUR:
        return _empty()
    offer = None if offer_id is None else decode_global_id(str(offer_id), "Offer") or 0
    wanted = [ApplicationStatus(s).value for s in statuses or ()]
    stmt = applications_reads.employer_applications_select(account_id, offer, wanted)
    session = info.context.read_session()
    page = await applications_reads.applications_page(session, stmt, asked)
    return paged_connection(
        ApplicationConnection, page, Application.from_model, _key, lambda: count_rows(session, stmt)
    )


def _key(row: ApplicationModel) -> int:
    return row.id


def _empty() -> ApplicationConnection:
    return paged_connection(ApplicationConnection, empty_page(), Application.from_model, _key)
