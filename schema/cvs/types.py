"""GraphQL types of the CVs domain: the CV (its parts are ``schema.cvs.parts``'s) and the
``Dossier.cvs`` connection.

What a CV shows depends on who reads it (``resolvers.cvs.manage.audience``): its owner sees
everything; an employer sees a published CV with the candidat's name and contact details,
and an anonymous one without them, without the dossier and without the attached file.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from models.cvs import Cv as CvModel
from models.cvs import CvVisibility
from models.dossiers import Dossier as DossierModel
from models.privacy_log import AccessKind
from resolvers.core.paging import KeysetPage, Window
from resolvers.cvs.fields import LANGUAGE_LEVEL_LABELS, DrivingLicence, LanguageLevel, completeness
from resolvers.cvs.files import file_visible
from resolvers.cvs.manage import Audience, audience
from resolvers.cvs.reads import CvRow
from resolvers.dossiers.fields import Civilite
from resolvers.offers.reference import offer_reference
from schema.access_log.note import saw
from schema.core.context import Info
from schema.core.ids import database_id
from schema.core.paging import TOTAL_COUNT, count_of, empty_page, paged_connection
from schema.core.phone import PhoneNumber
from schema.cvs.parts import (
    CvCandidate,
    CvCompleteness,
    CvEducation,
    CvExperience,
    CvFile,
    CvLanguage,
    CvMetier,
    CvPlace,
    CvVisibilityEnum,
    DrivingLicenceEnum,
)


@strawberry.type(name="Cv", description="A CV of a candidat, in one of their dossiers.")
class Cv(relay.Node):
    id: relay.NodeID[int]
    title: str = strawberry.field(description="Titre du CV.")
    visibility: CvVisibilityEnum = strawberry.field(description="Who can find it.")  # type: ignore[valid-type]
    summary: str | None = strawberry.field(description="Présentation.")
    skills: list[str] = strawberry.field(description="Compétences.")
    driving_licences: list[DrivingLicenceEnum] = strawberry.field(  # type: ignore[valid-type]
        description="Permis de conduire."
    )
    published_at: datetime | None = strawberry.field(
        description="When it was last made visible to employers; null while private."
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    row: strawberry.Private[CvModel]
    dossier: strawberry.Private[DossierModel]
    seen_as: strawberry.Private[Audience]

    @strawberry.field(description="The métier it targets (ROME code or appellation).")
    def metier(self) -> CvMetier | None:
        row = self.row
        if row.rome_code is None:
            return None
        return CvMetier(
            rome_code=row.rome_code,
            appellation_code=row.appellation_code,
            libelle=row.metier_libelle or row.rome_code,
        )

    @strawberry.field(description="Expériences, in the order given.")
    async def experiences(self, info: Info) -> list[CvExperience]:
        rows = await info.context.loaders.cv_experiences_by_cv_id.load(self.id)
        return [CvExperience.from_model(r) for r in rows]

    @strawberry.field(description="Formations, in the order given.")
    async def educations(self, info: Info) -> list[CvEducation]:
        rows = await info.context.loaders.cv_educations_by_cv_id.load(self.id)
        return [CvEducation.from_model(r) for r in rows]

    @strawberry.field(description="Langues.")
    def languages(self) -> list[CvLanguage]:
        return [
            CvLanguage(
                language=item["language"],
                level=LanguageLevel(item["level"]),
                level_label=LANGUAGE_LEVEL_LABELS[LanguageLevel(item["level"])],
            )
            for item in self.row.languages
        ]

    @strawberry.field(
        description="The attached PDF, for its owner; for employers only on a CV published "
        "with the name. An anonymous CV never exposes its file to employers: a PDF carries "
        "the candidat's name and contact details, and nothing can prove one does not."
    )
    def file(self, info: Info) -> CvFile | None:
        row = self.row
        if not file_visible(row, self.seen_as) or row.file_uploaded_at is None:
            return None
        gid = relay.GlobalID("Cv", str(row.id))
        return CvFile(
            name=row.file_name or "cv.pdf",
            size=row.file_size or 0,
            uploaded_at=row.file_uploaded_at,
            url=info.context.settings.link(f"/cvs/{gid}/file"),
        )

    @strawberry.field(
        description="The candidat's name and contact details; null for employers on an "
        "anonymous CV."
    )
    def candidate(self) -> CvCandidate | None:
        if self.seen_as == Audience.EMPLOYER_ANONYMOUS:
            return None
        d = self.dossier
        return CvCandidate(
            civilite=Civilite(d.civilite),
            nom=d.nom,
            prenom=d.prenom,
            email=d.email,
            phone_mobile=PhoneNumber.from_e164(d.phone_mobile),
            phone_fixe=PhoneNumber.from_e164(d.phone_fixe),
        )

    @strawberry.field(description="The candidat's commune and département (France only).")
    def place(self, info: Info) -> CvPlace | None:
        insee = self.dossier.commune_insee
        commune = info.context.runtime.refdata.commune(insee) if insee else None
        if commune is None:
            return None
        lookups = offer_reference(info.context.runtime.refdata)
        return CvPlace(
            commune_insee=commune.insee,
            commune_name=commune.name,
            departement_code=commune.departement_code,
            departement_name=lookups.departement_name(commune.departement_code)
            or commune.departement_name,
        )

    @strawberry.field(
        name="dossierId", description="The dossier it belongs to (global ID); owner only."
    )
    def dossier_global_id(self) -> relay.GlobalID | None:
        if self.seen_as != Audience.OWNER:
            return None
        return relay.GlobalID("Dossier", str(self.row.dossier_id))

    @strawberry.field(description="Its completeness score and what it lacks.")
    async def completeness(self, info: Info) -> CvCompleteness:
        experiences, educations = await info.context.loaders.cv_counts_by_cv_id.load(self.id)
        score, missing = completeness(self.row, experiences, educations)
        return CvCompleteness(score=score, missing=missing)

    @classmethod
    def from_model(cls, row: CvModel, dossier: DossierModel, seen_as: Audience) -> Cv:
        return cls(
            id=row.id,
            title=row.title,
            visibility=CvVisibility(row.visibility),
            summary=row.summary,
            skills=list(row.skills),
            driving_licences=[DrivingLicence(d) for d in row.driving_licences],
            published_at=row.published_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
            dossier=dossier,
            seen_as=seen_as,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Cv | None]:
        """Its owner sees a CV; an employer only a published one; anyone else nothing."""
        viewer = info.context.viewer
        account = viewer.account if viewer is not None else None
        found = await info.context.loaders.cv_by_id.load_many(
            [database_id(i) or 0 for i in node_ids]
        )
        out: list[Cv | None] = []
        for item in found:
            seen_as = audience(item[0], account) if item is not None else None
            if item is not None and seen_as is not None and seen_as != Audience.OWNER:
                saw(info, item[0].account_id, AccessKind.CV_OPENED, item[0].id)
            out.append(cls.from_model(*item, seen_as) if item and seen_as else None)
        return out


@strawberry.type(description="A page of CVs, oldest first.")
class CvConnection(relay.Connection[Cv]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


async def dossier_cvs(info: Info, dossier: DossierModel, asked: Window) -> CvConnection:
    """``Dossier.cvs``: the dossier's CVs, for its owner only (empty for anyone else, should
    a dossier ever be shown to another account). One statement for every dossier of the
    request (``cv_page_by_dossier``, or ``cv_window_by_dossier`` for other windows)."""

    def node(row: CvRow) -> Cv:
        return Cv.from_model(row[0], dossier, Audience.OWNER)

    viewer = info.context.viewer
    if viewer is None or viewer.account.id != dossier.account_id:
        return paged_connection(CvConnection, empty_page(), node, _cv_id)
    loaders = info.context.loaders
    owner = (dossier.account_id, dossier.id)
    if asked.forward_only:  # the loader the viewer's prefetch primes
        rows, more = await loaders.cv_page_by_dossier.load((*owner, asked.after, asked.limit))
        page = KeysetPage(list(rows), has_next=more, has_previous=asked.after is not None)
    else:
        page = await loaders.cv_window_by_dossier.load((*owner, asked))
    count = lambda: loaders.cv_count_by_dossier.load(owner)  # noqa: E731
    return paged_connection(CvConnection, page, node, _cv_id, count)


def _cv_id(row: CvRow) -> int:
    return row[0].id
