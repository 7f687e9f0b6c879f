"""CVs: the form (every field error at once), the PDF upload and download, visibility,
the employers' search, anonymity, authorization and completeness."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.cvs import (
    CV_CREATE,
    CV_FIELDS,
    create_cv,
    cv_form,
)
from tests.support.dossiers import create_dossier

CV_UPDATE = f"""
mutation ($input: CvUpdateInput!) {{
  cvUpdate(input: $input) {{ cv {{ {CV_FIELDS} }} userErrors {{ field code message }} }}
}}
"""
CV_DELETE = """
mutation ($id: ID!) { cvDelete(input: {id: $id}) { deletedCvId userErrors { field code } } }
"""
CV_FILE_DELETE = """
mutation ($id: ID!) {
  cvFileDelete(input: {id: $id}) { cv { file { name } } userErrors { field code } }
}
"""
CV_PUBLISH = """
mutation ($id: ID!, $visibility: CvVisibility!) {
  cvPublish(input: {id: $id, visibility: $visibility}) { cv { id } userErrors { field code } }
}
"""
# Everything an employer could ask of a CV.
EVERYTHING = """
  id title visibility summary skills drivingLicences publishedAt createdAt updatedAt dossierId
  metier { romeCode appellationCode libelle }
  experiences { job employer place startDate endDate description }
  educations { diploma level levelLabel domain year }
  languages { language level levelLabel }
  file { name size uploadedAt url }
  completeness { score missing }
  candidate {
    civilite nom prenom email
    phoneMobile { e164 national international } phoneFixe { e164 national international }
  }
  place { communeInsee communeName departementCode departementName }
"""
NODE = f"query ($id: ID!) {{ node(id: $id) {{ ... on Cv {{ {EVERYTHING} }} }} }}"
SEARCH = f"""
query ($criteria: CvSearchCriteria, $first: Int, $after: String) {{
  cvSearch(criteria: $criteria, first: $first, after: $after) {{
    edges {{ cursor distanceKm node {{ {EVERYTHING} }} }}
    pageInfo {{ hasNextPage endCursor }}
    userErrors {{ field code }}
  }}
}}
"""
DOSSIER_CVS = """
query ($id: ID!) {
  node(id: $id) { ... on Dossier { cvs(first: 10) { edges { node { id title } } } } }
}
"""
MY_CVS = "{ viewer { dossiers { edges { node { cvs { edges { node { id } } } } } } } }"
DASHBOARD = """
{ viewer { dashboard {
  newSinceLastVisit { cvs }
  events(first: 20) { edges { node { kind service message subjectId } } }
} } }
"""

# A candidat with details that must never reach an employer through an anonymous CV.
IDENTITY = {
    "nom": "Kervarec",
    "prenom": "Gwenaëlle",
    "email": "gwenaelle.kervarec@example.org",
    "phoneMobile": "06 71 42 93 58",
    "adresse": "7 venelle des Trois Rois",
    "complementAdresse1": "résidence Ker Anna",
}
SECRETS = [
    "Kervarec",
    "Gwena",  # also catches any escaping of the ë
    "gwenaelle.kervarec",
    "71 42 93 58",
    "671429358",
    "Trois Rois",
    "Ker Anna",
]


@pytest.fixture
def settings_overrides(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """Uploads in this test's own folder; a test may add settings with indirect params."""
    extra: dict[str, Any] = getattr(request, "param", {})
    return {"upload_dir": tmp_path / "uploads", **extra}


def stored_files(server: LiveServer) -> list[Path]:
    root = Path(server.settings.upload_dir)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def candidate_with_cv(api: GraphQL, **form: Any) -> tuple[str, dict[str, Any], str]:
    """A candidat (token), their dossier in Guingamp and a CV in it (its id)."""
    candidate = await sign_up_candidate(api)
    dossier = await create_dossier(api, candidate.token)
    cv = await create_cv(api, candidate.token, dossier["id"], **form)
    return candidate.token, dossier, cv["id"]


async def test_a_candidat_creates_a_complete_cv(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    dossier = await create_dossier(api, candidate.token)

    cv = await create_cv(api, candidate.token, dossier["id"])

    assert cv["visibility"] == "PRIVATE" and cv["publishedAt"] is None
    assert cv["dossierId"] == dossier["id"]
    assert cv["metier"] == {
        "romeCode": "D1102",
        "appellationCode": None,
        "libelle": "Boulanger / Boulangère",
    }
    assert cv["experiences"] == cv_form()["experiences"]
    assert cv["educations"] == [
        {
            "diploma": "CAP Boulanger",
            "level": "CAP_BEP",
            "levelLabel": "CAP, BEP et équivalents",
            "domain": "Boulangerie",
            "year": 2014,
        }
    ]
    assert cv["languages"] == [
        {"language": "Anglais", "level": "B1", "levelLabel": "B1 – Intermédiaire"}
    ]
    assert cv["skills"] == ["Pétrissage", "Levain naturel"]
    assert cv["drivingLicences"] == ["B"]
    assert cv["file"] is None
    assert cv["completeness"] == {"score": 90, "missing": ["FILE"]}
    listed = await api(DOSSIER_CVS, {"id": dossier["id"]}, token=candidate.token)
    assert listed["node"]["cvs"]["edges"] == [
        {"node": {"id": cv["id"], "title": "Boulangère expérimentée"}}
    ]


async def test_the_form_reports_every_field_error_at_once(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    dossier = await create_dossier(api, candidate.token)
    form = cv_form(
        title="  ",
        romeCode="Z9999",
        summary="x" * 2001,
        experiences=[
            {"job": "", "startDate": None},
            {"job": "Vendeuse", "startDate": "2020-05-01", "endDate": "2019-01-01"},
        ],
        educations=[{"diploma": "BTS", "year": 1900}],
        skills=["Pétrissage", ""],
        languages=[{"language": "Anglais", "level": "B1"}, {"language": "anglais", "level": "C1"}],
    )
    data = await api(CV_CREATE, {"input": {"dossierId": dossier["id"], **form}}, candidate.token)
    payload = data["cvCreate"]

    assert payload["cv"] is None
    assert {(e["field"], e["code"]) for e in payload["userErrors"]} == {
        ("title", "REQUIRED"),
        ("romeCode", "UNKNOWN_ROME_CODE"),
        ("summary", "TOO_LONG"),
        ("experiences.0.job", "REQUIRED"),
        ("experiences.0.startDate", "REQUIRED"),
        ("experiences.1.endDate", "INVALID_DATE"),
        ("educations.0.year", "OUT_OF_RANGE"),
        ("skills.1", "REQUIRED"),
        ("languages.1.language", "DUPLICATE"),
    }
    assert all(e["message"] for e in payload["userErrors"])

    appellation = cv_form(romeCode="M1805", appellationCode="11573")
    data = await api(
        CV_CREATE, {"input": {"dossierId": dossier["id"], **appellation}}, candidate.token
    )
    assert [(e["field"], e["code"]) for e in data["cvCreate"]["userErrors"]] == [
        ("romeCode", "CONFLICTING_CRITERIA")
    ]
    unknown = cv_form(romeCode=None, appellationCode="0")
    data = await api(CV_CREATE, {"input": {"dossierId": dossier["id"], **unknown}}, candidate.token)
    assert [(e["field"], e["code"]) for e in data["cvCreate"]["userErrors"]] == [
        ("appellationCode", "UNKNOWN_APPELLATION")
    ]
    ok = await create_cv(
        api, candidate.token, dossier["id"], romeCode=None, appellationCode="11573"
    )
    assert ok["metier"]["romeCode"] == "D1102" and ok["metier"]["appellationCode"] == "11573"


async def test_an_update_changes_only_the_fields_sent(api: GraphQL) -> None:
    token, _dossier, cv_id = await candidate_with_cv(api)
    new_job = {"job": "Cheffe de fournil", "startDate": "2024-07-01"}

    data = await api(
        CV_UPDATE,
        {"input": {"id": cv_id, "summary": "Levain et tradition.", "experiences": [new_job]}},
        token,
    )
    cv = data["cvUpdate"]["cv"]

    assert data["cvUpdate"]["userErrors"] == []
    assert cv["summary"] == "Levain et tradition."
    assert [e["job"] for e in cv["experiences"]] == ["Cheffe de fournil"]
    assert cv["title"] == "Boulangère expérimentée" and cv["skills"] == [
        "Pétrissage",
        "Levain naturel",
    ]
    assert len(cv["educations"]) == 1

    cleared = await api(CV_UPDATE, {"input": {"id": cv_id, "romeCode": None, "skills": []}}, token)
    cv = cleared["cvUpdate"]["cv"]
    assert cv["metier"] is None and cv["skills"] == []
    assert cv["completeness"]["missing"] == ["METIER", "SKILLS", "FILE"]
    assert cv["completeness"]["score"] == 65

    refused = await api(
        CV_UPDATE, {"input": {"id": cv_id, "title": "", "romeCode": "??", "summary": "ok"}}, token
    )
    assert {(e["field"], e["code"]) for e in refused["cvUpdate"]["userErrors"]} == {
        ("title", "REQUIRED"),
        ("romeCode", "UNKNOWN_ROME_CODE"),
    }
    node = await api(NODE, {"id": cv_id}, token)
    assert node["node"]["summary"] == "Levain et tradition."  # nothing of a refused update
