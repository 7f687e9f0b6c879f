"""GraphQL types of the changes of situation: ``SituationChange`` and the
``viewer.situationChanges`` connection."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import strawberry
from strawberry import relay

from models.registration import RegistrationState
from models.situation import ContractKind, SituationKind
from models.situation import SituationChange as ChangeModel
from resolvers.actualisation.documents import LABELS, DocumentCode
from resolvers.core.paging import Window, count_rows, keyset_page
from resolvers.situation import reads
from resolvers.situation.declare import registered_sentence
from resolvers.situation.form import KIND_LABELS
from resolvers.situation.notice import summary
from resolvers.situation.rules import CATEGORY_NOT_AVAILABLE
from schema.actualisation.documents import DocumentCodeEnum
from schema.core.base import described_enum
from schema.core.context import Info
from schema.core.ids import database_id
from schema.core.paging import TOTAL_COUNT, count_of, paged_connection
from schema.registration.schema import RegistrationStateEnum

SituationKindEnum = described_enum(
    SituationKind,
    "SituationKind",
    "A change of situation a candidat declares (« Signaler un changement de situation »).",
    {
        SituationKind.WORK_RESUMED: "Reprise d'emploi: a job taken back (first day, employer, "
        "contract, weekly hours). A full-time CDI (35 h or more) ends the registration "
        "(CESSATION_INSCRIPTION from its first day); any other job of more than 18 h a week "
        "moves it to category 5; the payslips are declared in the monthly actualisation.",
        SituationKind.SICK_LEAVE: "Arrêt maladie: sick leave (start and end). Its days are "
        "deducted from the month's payment (once, if the declaration says so too); an avis "
        "d'arrêt de travail (AAT) is asked for.",
        SituationKind.ABSENCE: "Absence: days away (start and end); any absence of more than 7 "
        "days must be declared. Past 35 days in a calendar year the candidat is no longer "
        "counted as available: each further day is deducted from the payment.",
        SituationKind.TRAINING: "Formation: a training (start, end, organisme); the "
        "registration moves to category 4 (not immediately available) until the day after "
        "its last day, when it gets its category back; an attestation de formation (ASF) is "
        "asked for.",
        SituationKind.MOVE: "Déménagement: a new address (its commune from the postal code); "
        "every dossier's contact details change, and the agency too when the new commune "
        "belongs to another one.",
    },
)
ContractKindEnum = described_enum(
    ContractKind,
    "SituationContractKind",
    "The contract of a job taken back.",
    {
        ContractKind.CDI: "Contrat à durée indéterminée.",
        ContractKind.CDD: "Contrat à durée déterminée.",
        ContractKind.INTERIM: "Mission d'intérim.",
        ContractKind.SAISONNIER: "Contrat saisonnier.",
    },
)


@strawberry.type(
    description="A change of situation as it was declared, with what it did (a simplified "
    "model of the public rules: see `SituationKind`). Seen by the candidat who declared it "
    "and by the advisers of their agency; anyone else gets null."
)
class SituationChange(relay.Node):
    id: relay.NodeID[int]
    kind: SituationKindEnum = strawberry.field(description="What changed.")  # type: ignore[valid-type]
    label: str = strawberry.field(description="What changed, in French (« Arrêt maladie »).")
    reference: str = strawberry.field(description="Its reference, to quote to the adviser.")
    start_date: date = strawberry.field(description="The first day (the day of a move).")
    end_date: date | None = strawberry.field(
        description="The last day; null for a move or a job without an end date."
    )
    declared_at: datetime = strawberry.field(description="When it was declared (UTC).")
    registered_sentence: str = strawberry.field(
        description="« Changement enregistré le 05/12/2026 à 10:15 » (Paris time)."
    )
    summary: str = strawberry.field(description="What was declared and what it does, in French.")
    candidat_identifiant: str | None = strawberry.field(
        description="The identifiant of the candidat who declared it."
    )
    employer: str | None = strawberry.field(description="WORK_RESUMED: the employer.")
    contract_type: ContractKindEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="WORK_RESUMED: the contract."
    )
    weekly_hours: int | None = strawberry.field(description="WORK_RESUMED: hours a week.")
    organisme: str | None = strawberry.field(description="TRAINING: the training body.")
    address: str | None = strawberry.field(
        description="MOVE: the new address on one line (street, postal code, commune)."
    )
    category_before: int = strawberry.field(description="The registration's category before.")
    category_after: int = strawberry.field(description="The registration's category after.")
    registration_state: RegistrationStateEnum = strawberry.field(  # type: ignore[valid-type]
        description="The registration's state once the change was applied."
    )
    agency_changed: bool = strawberry.field(
        description="MOVE: the new commune belongs to another agency, which is now the candidat's."
    )
    absence_days_in_year: int | None = strawberry.field(
        description="ABSENCE: the days of absence declared in the calendar year, this one included."
    )
    available: bool = strawberry.field(
        description="Whether the candidat is still counted as available for work after it "
        "(false past 35 days of absence in a year, in category 4 during a training, or after "
        "a full-time CDI)."
    )
    requested_document: DocumentCodeEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="The supporting document asked for (a « Demande de pièces » letter is in "
        "« Mes courriers »): send it with `supportingDocumentUpload` and this code."
    )
    requested_document_label: str | None = strawberry.field(
        description="The document asked for, in French."
    )

    @classmethod
    def from_model(cls, row: ChangeModel) -> SituationChange:
        d, e = row.details, row.effects
        code = DocumentCode(row.document_code) if row.document_code else None
        state = RegistrationState(e.get("registrationState", RegistrationState.INSCRIT))
        address = None
        if row.kind == SituationKind.MOVE:
            street = ", ".join(p for p in (d["adresse"], d["complement1"], d["complement2"]) if p)
            address = f"{street}, {d['postalCode']} {d['communeName']}"
        return cls(
            id=row.id,
            kind=SituationKind(row.kind),
            label=KIND_LABELS[SituationKind(row.kind)],
            reference=row.reference,
            start_date=row.start_date,
            end_date=row.end_date,
            declared_at=row.declared_at,
            registered_sentence=registered_sentence(row.declared_at),
            summary=summary(row),
            candidat_identifiant=d.get("identifiant"),
            employer=d.get("employer"),
            contract_type=ContractKind(d["contractType"]) if d.get("contractType") else None,
            weekly_hours=d.get("weeklyHours"),
            organisme=d.get("organisme"),
            address=address,
            category_before=int(e.get("categoryBefore", 0)),
            category_after=int(e.get("categoryAfter", 0)),
            registration_state=state,
            agency_changed=e.get("agencyAfter") != e.get("agencyBefore"),
            absence_days_in_year=e.get("absenceDaysInYear"),
            available=bool(e.get("available", True))
            and state == RegistrationState.INSCRIT
            and int(e.get("categoryAfter", 0)) != CATEGORY_NOT_AVAILABLE,
            requested_document=code,
            requested_document_label=LABELS[code] if code else None,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[SituationChange | None]:
        """The reader's own changes, or their agency's; others are not found."""
        ids = [database_id(i) or 0 for i in node_ids]
        viewer = info.context.viewer
        if viewer is None:
            return [None for _ in ids]
        session = info.context.read_session()
        found = await reads.changes_by_ids(session, viewer.account, ids)
        return [cls.from_model(found[i]) if i in found else None for i in ids]


@strawberry.type(description="A page of changes of situation, newest first.")
class SituationChangeConnection(relay.Connection[SituationChange]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


VIEWER_FIELD = (
    "Changes of situation, newest first: a candidat's own, an adviser's agency's; empty for others."
)


async def viewer_situation_changes(info: Info, asked: Window) -> SituationChangeConnection:
    """``viewer.situationChanges``."""
    viewer = info.context.require_viewer()
    session = info.context.read_session()
    stmt = reads.changes_select(viewer.account)
    page = await keyset_page(session, stmt, ChangeModel.id, True, asked)
    return paged_connection(
        SituationChangeConnection,
        page,
        SituationChange.from_model,
        key=lambda r: r.id,
        count=lambda: count_rows(session, stmt),
    )
