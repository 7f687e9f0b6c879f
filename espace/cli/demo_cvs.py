"""The demo's CVs: the demo candidats' CVs, published, so that the demo employer's CV
search (``graphql/operations/CvSearch.graphql``) finds something from the first minute."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.cvs import CvVisibility
from models.identity import Account
from resolvers.cvs.fields import (
    CvInput,
    DrivingLicence,
    EducationInput,
    ExperienceInput,
    LanguageInput,
)
from resolvers.cvs.fields import LanguageLevel as Level
from resolvers.cvs.manage import create_cv, publish_cv
from resolvers.offers.fields import NiveauFormation

# By the demo candidat's e-mail: the CV and who may find it.
DEMO_CVS: dict[str, tuple[CvInput, CvVisibility]] = {
    "camille.exemple@example.org": (
        CvInput(
            title="Boulangère, pains au levain",
            appellation_code="11573",
            summary="Huit ans de fournil à Guingamp : levain naturel, pains de tradition.",
            experiences=(
                ExperienceInput(
                    job="Boulangère",
                    employer="Boulangerie du Champ au Roy (fictive)",
                    place="Guingamp",
                    start_date=date(2017, 9, 1),
                    description="Pétrissage, façonnage et cuisson ; entretien du levain.",
                ),
            ),
            educations=(
                EducationInput(diploma="CAP Boulanger", level=NiveauFormation.CAP_BEP, year=2016),
            ),
            skills=("Levain naturel", "Four à sole", "Viennoiserie"),
            languages=(LanguageInput("Breton", Level.A2),),
            driving_licences=(DrivingLicence.B,),
        ),
        CvVisibility.PUBLISHED,
    ),
    "dominique.demo@example.org": (
        CvInput(
            title="Commis de cuisine",
            rome_code="G1602",
            summary="Cuisine créole et de collectivité ; disponible tout de suite.",
            experiences=(
                ExperienceInput(
                    job="Commis de cuisine",
                    employer="Restaurant Exemple (fictif)",
                    place="Saint-Denis (La Réunion)",
                    start_date=date(2019, 1, 7),
                    end_date=date(2024, 12, 20),
                ),
            ),
            skills=("Cuisine créole", "Hygiène HACCP"),
            languages=(LanguageInput("Anglais", Level.B1),),
        ),
        CvVisibility.ANONYMOUS,
    ),
}


async def seed_cv(
    session: AsyncSession, runtime: Runtime, account: Account, dossier_id: int, email: str
) -> None:
    """Give a demo candidat's dossier its CV, published as ``DEMO_CVS`` says."""
    found = DEMO_CVS.get(email)
    if found is None:
        return
    data, visibility = found
    cv = await create_cv(session, runtime.refdata, account, dossier_id, data, date.today())
    await publish_cv(session, account, cv.id, visibility)
