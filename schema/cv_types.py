"""GraphQL types of the CVs domain: the CV, its parts, its file and its completeness.

What a CV shows depends on who reads it (``resolvers.cvs.audience``): its owner sees
everything; an employer sees a published CV with the candidat's name and contact details,
and an anonymous one without them, without the dossier and without the attached file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

import strawberry
from strawberry import relay

from models.cvs import Cv as CvModel
from models.cvs import CvEducation as CvEducationModel
from models.cvs import CvExperience as CvExperienceModel
from models.cvs import CvVisibility
from models.dossiers import Dossier as DossierModel
from resolvers.cv_fields import (
    DRIVING_LICENCE_LABELS,
    LANGUAGE_LEVEL_LABELS,
    MISSING_ITEM_LABELS,
    CvMissingItem,
    DrivingLicence,
    LanguageLevel,
    completeness,
)
from resolvers.cv_files import file_visible
from resolvers.cvs import Audience, audience, cvs_page
from resolvers.dossier_fields import Civilite
from resolvers.offer_fields import NIVEAU_FORMATION_LABELS, NiveauFormation
from resolvers.offer_reference import offer_reference
from schema.base import build_connection, decode_cursor, page_size
from schema.context import Info
from schema.dossier_types import CiviliteEnum, PhoneNumber, _int, described_enum
from schema.offer_enums import NiveauFormationEnum

CvVisibilityEnum = described_enum(
    CvVisibility,
    "CvVisibility",
    "Who can find a CV.",
    {
        CvVisibility.PRIVATE: "Privé: only its owner sees it.",
        CvVisibility.PUBLISHED: "Publié: employers find it, with the candidat's name and "
        "contact details.",
        CvVisibility.ANONYMOUS: "Publié anonymement: employers find it without name, contact "
        "details, exact address or attached file.",
    },
)
LanguageLevelEnum = described_enum(
    LanguageLevel, "LanguageLevel", "Niveau de langue (CECRL).", LANGUAGE_LEVEL_LABELS
)
DrivingLicenceEnum = described_enum(
    DrivingLicence, "DrivingLicence", "Catégorie de permis de conduire.", DRIVING_LICENCE_LABELS
)
CvMissingItemEnum = described_enum(
    CvMissingItem, "CvMissingItem", "Something a CV lacks to be complete.", MISSING_ITEM_LABELS
)


@strawberry.type(description="The métier a CV targets: a ROME code, and maybe an appellation.")
class CvMetier:
    rome_code: str = strawberry.field(description="Code ROME (e.g. D1102).")
    appellation_code: str | None = strawberry.field(description="Code OGR of the appellation.")
    libelle: str = strawberry.field(description="The appellation's label, or the métier's.")


@strawberry.type(description="One job of a CV.")
class CvExperience:
    job: str = strawberry.field(description="Poste occupé.")
    employer: str | None = strawberry.field(description="Employeur.")
    place: str | None = strawberry.field(description="Lieu.")
    start_date: date = strawberry.field(description="Début.")
    end_date: date | None = strawberry.field(description="Fin; null while still there.")
    description: str | None = strawberry.field(description="Missions, achievements.")

    @classmethod
    def from_model(cls, row: CvExperienceModel) -> CvExperience:
        return cls(
            job=row.job,
            employer=row.employer,
            place=row.place,
            start_date=row.start_date,
            end_date=row.end_date,
            description=row.description,
        )


@strawberry.type(description="One diploma or training of a CV.")
class CvEducation:
    diploma: str = strawberry.field(description="Diplôme ou formation.")
    level: NiveauFormationEnum | None = strawberry.field(description="Niveau.")  # type: ignore[valid-type]
    level_label: str | None = strawberry.field(description="The level's French label.")
    domain: str | None = strawberry.field(description="Domaine.")
    year: int | None = strawberry.field(description="Année d'obtention (or expected).")

    @classmethod
    def from_model(cls, row: CvEducationModel) -> CvEducation:
        level = NiveauFormation(row.level) if row.level else None
        return cls(
            diploma=row.diploma,
            level=level,
            level_label=NIVEAU_FORMATION_LABELS[level] if level else None,
            domain=row.domain,
            year=row.year,
        )


@strawberry.type(description="A language and how well it is spoken.")
class CvLanguage:
    language: str = strawberry.field(description="La langue (e.g. Anglais).")
    level: LanguageLevelEnum = strawberry.field(description="Le niveau.")  # type: ignore[valid-type]
    level_label: str = strawberry.field(description="The level's French label.")


@strawberry.type(description="The PDF attached to a CV.")
class CvFile:
    name: str = strawberry.field(description="Its file name.")
    size: int = strawberry.field(description="Its size in bytes.")
    uploaded_at: datetime = strawberry.field(description="When it was attached.")
    url: str = strawberry.field(
        description="Where to download it (GET with the same bearer token as /graphql)."
    )


@strawberry.type(description="How complete a CV is, and what it lacks.")
class CvCompleteness:
    score: int = strawberry.field(description="From 0 (empty) to 100 (complete).")
    missing: list[CvMissingItemEnum] = strawberry.field(  # type: ignore[valid-type]
        description="What is missing, most important first."
    )


@strawberry.type(
    description="Who the CV is of: shown to its owner, and to employers for a "
    "CV published with the name."
)
class CvCandidate:
    civilite: CiviliteEnum = strawberry.field(description="Civilité.")  # type: ignore[valid-type]
    nom: str = strawberry.field(description="Nom.")
    prenom: str = strawberry.field(description="Prénom.")
    email: str | None = strawberry.field(description="Adresse électronique, if any.")
    phone_mobile: PhoneNumber | None = strawberry.field(description="Téléphone portable.")
    phone_fixe: PhoneNumber | None = strawberry.field(description="Téléphone fixe.")


@strawberry.type(
    description="Where the candidat lives, at commune level at most (never the street)."
)
class CvPlace:
    commune_insee: str = strawberry.field(description="INSEE code of the commune.")
    commune_name: str = strawberry.field(description="The commune.")
    departement_code: str = strawberry.field(description="The département's code.")
    departement_name: str = strawberry.field(description="The département.")


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
        loaders = info.context.loaders
        experiences = await loaders.cv_experiences_by_cv_id.load(self.id)
        educations = await loaders.cv_educations_by_cv_id.load(self.id)
        score, missing = completeness(self.row, len(experiences), len(educations))
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
        found = await info.context.loaders.cv_by_id.load_many([_int(i) or 0 for i in node_ids])
        out: list[Cv | None] = []
        for item in found:
            seen_as = audience(item[0], account) if item is not None else None
            out.append(cls.from_model(*item, seen_as) if item and seen_as else None)
        return out


@strawberry.type(description="A page of CVs, oldest first.")
class CvConnection(relay.Connection[Cv]):
    pass


async def dossier_cvs(
    info: Info, account_id: int, dossier_id: int, first: int | None, after: str | None
) -> CvConnection:
    """``Dossier.cvs``: the dossier's CVs, for its owner only (empty for anyone else, should
    a dossier ever be shown to another account)."""
    size = page_size(info, first)
    after_id = decode_cursor(after)
    viewer = info.context.viewer
    rows: Sequence[tuple[CvModel, DossierModel]] = []
    has_next = False
    if viewer is not None and viewer.account.id == account_id:
        rows, has_next = await cvs_page(
            info.context.read_session(), account_id, dossier_id, after_id, size
        )
    return build_connection(
        CvConnection,
        rows,
        has_next,
        lambda r: Cv.from_model(r[0], r[1], Audience.OWNER),
        key=lambda r: r[0].id,
        has_previous=after_id is not None,
    )
