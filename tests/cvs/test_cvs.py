"""CVs: the form (every field error at once), the PDF upload and download, visibility,
the employers' search, anonymity, authorization and completeness."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from ground.storage import LocalFileStorage
from models.cvs import Cv
from resolvers.core.errors import DomainError
from resolvers.core.uploads import check_pdf
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate, sign_up_employer
from tests.support.client import GraphQL
from tests.support.cvs import (
    CV_CREATE,
    CV_FIELDS,
    attach_pdf,
    create_cv,
    cv_form,
    publish_cv,
    tiny_pdf,
    upload_file,
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


async def test_a_pdf_is_uploaded_downloaded_replaced_and_removed(
    api: GraphQL, http: httpx.AsyncClient, server: LiveServer
) -> None:
    token, dossier, cv_id = await candidate_with_cv(api)
    pdf = tiny_pdf("premier")

    cv = await attach_pdf(http, token, cv_id, pdf)

    assert cv["file"]["name"] == "cv.pdf" and cv["file"]["size"] == len(pdf)
    assert cv["completeness"] == {"score": 100, "missing": []}
    [stored] = stored_files(server)
    assert stored.read_bytes() == pdf
    async with server.runtime.sessionmaker() as session:
        row = (await session.scalars(select(Cv))).one()
    assert row.file_key == stored.name  # the database keeps the key, never the bytes

    response = await http.get(cv["file"]["url"], headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.content == pdf
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert (await http.get(cv["file"]["url"])).status_code == 401
    stranger = await sign_up_candidate(api)
    other = await http.get(cv["file"]["url"], headers={"Authorization": f"Bearer {stranger.token}"})
    assert other.status_code == 404

    second = tiny_pdf("second")
    response = await upload_file(http, token, cv_id, second, filename="Mon CV été.pdf")
    assert response.json()["data"]["cvFileUpload"]["cv"]["file"]["name"] == "Mon CV été.pdf"
    [replaced] = stored_files(server)  # the first file is gone
    assert replaced.read_bytes() == second

    removed = await api(CV_FILE_DELETE, {"id": cv_id}, token)
    assert removed["cvFileDelete"] == {"cv": {"file": None}, "userErrors": []}
    assert stored_files(server) == []

    await attach_pdf(http, token, cv_id)
    deleted = await api(CV_DELETE, {"id": cv_id}, token)
    assert deleted["cvDelete"] == {"deletedCvId": cv_id, "userErrors": []}
    assert stored_files(server) == []

    # Deleting the dossier removes its CVs' files too
    other_cv = await create_cv(api, token, dossier["id"])
    await attach_pdf(http, token, other_cv["id"])
    assert len(stored_files(server)) == 1
    gone = await api(
        "mutation ($id: ID!) { dossierDelete(input: {id: $id}) { userErrors { code } } }",
        {"id": dossier["id"]},
        token,
    )
    assert gone["dossierDelete"]["userErrors"] == []
    assert stored_files(server) == []


async def test_only_real_pdfs_are_accepted(
    api: GraphQL, http: httpx.AsyncClient, server: LiveServer
) -> None:
    token, _dossier, cv_id = await candidate_with_cv(api)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"IEND\xaeB`\x82"

    for data, code in ((png, "NOT_PDF"), (b"", "FILE_EMPTY"), (b"%PDF-1.4 truncated", "NOT_PDF")):
        response = await upload_file(http, token, cv_id, data, filename="cv.pdf")
        payload = response.json()["data"]["cvFileUpload"]
        assert payload["userErrors"] == [
            {"field": "file", "code": code, "message": payload["userErrors"][0]["message"]}
        ]
    assert stored_files(server) == []

    no_preflight = await upload_file(http, token, cv_id, tiny_pdf(), preflight=False)
    assert no_preflight.status_code == 400
    assert no_preflight.json()["errors"][0]["extensions"]["code"] == "PREFLIGHT_REQUIRED"


@pytest.mark.parametrize("settings_overrides", [{"max_upload_bytes": 1024}], indirect=True)
async def test_files_over_the_limit_are_refused(
    api: GraphQL, http: httpx.AsyncClient, server: LiveServer
) -> None:
    token, _dossier, cv_id = await candidate_with_cv(api)
    big = tiny_pdf("x" * 2000)

    response = await upload_file(http, token, cv_id, big)

    [error] = response.json()["data"]["cvFileUpload"]["userErrors"]
    assert (error["field"], error["code"]) == ("file", "FILE_TOO_LARGE")
    huge = await upload_file(http, token, cv_id, tiny_pdf("x" * 200_000))
    assert huge.status_code == 413  # past the limit and the multipart margin: not even read
    assert stored_files(server) == []


async def search(api: GraphQL, token: str, **criteria: Any) -> list[str]:
    data = await api(SEARCH, {"criteria": criteria}, token)
    assert data["cvSearch"]["userErrors"] == [], data
    return [e["node"]["title"] for e in data["cvSearch"]["edges"]]


async def test_employers_find_published_and_anonymous_cvs_only(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    dossier = await create_dossier(api, candidate.token)
    for title, visibility in (("Privé", None), ("Publié", "PUBLISHED"), ("Anonyme", "ANONYMOUS")):
        cv = await create_cv(api, candidate.token, dossier["id"], title=title)
        if visibility:
            await publish_cv(api, candidate.token, cv["id"], visibility)
    other = await sign_up_candidate(api, postal_code="29200")
    brest = await create_dossier(api, other.token, postalCode="29200", communeInsee="29019")
    dev = await create_cv(
        api,
        other.token,
        brest["id"],
        title="Développeuse",
        romeCode="M1805",
        summary="Python et PostgreSQL.",
        skills=["SQL"],
    )
    await publish_cv(api, other.token, dev["id"], "PUBLISHED")
    employer = await sign_up_employer(api)
    token = employer.token

    assert await search(api, token) == ["Développeuse", "Anonyme", "Publié"]
    assert await search(api, token, romeCodes=["D1102"]) == ["Anonyme", "Publié"]
    assert await search(api, token, keywords="boulangere levain") == ["Anonyme", "Publié"]
    assert await search(api, token, keywords="postgresql") == ["Développeuse"]
    assert await search(api, token, departements=["29"]) == ["Développeuse"]
    assert await search(api, token, communeInsee="22113", radiusKm=40) == ["Anonyme", "Publié"]
    assert await search(api, token, communeInsee="22113", radiusKm=10) == []
    assert await search(api, token, communeInsee="22070", radiusKm=0) == ["Anonyme", "Publié"]
    near = await api(SEARCH, {"criteria": {"communeInsee": "22113", "radiusKm": 40}}, token)
    assert 20 < near["cvSearch"]["edges"][0]["distanceKm"] < 40

    page = await api(SEARCH, {"first": 2}, token)
    assert page["cvSearch"]["pageInfo"]["hasNextPage"] is True
    rest = await api(SEARCH, {"after": page["cvSearch"]["pageInfo"]["endCursor"]}, token)
    assert [e["node"]["title"] for e in rest["cvSearch"]["edges"]] == ["Publié"]

    bad = await api(
        SEARCH,
        {"criteria": {"romeCodes": ["Z9999"], "communeInsee": "00000", "radiusKm": 500}},
        token,
    )
    assert {(e["field"], e["code"]) for e in bad["cvSearch"]["userErrors"]} == {
        ("criteria.romeCodes", "UNKNOWN_ROME_CODE"),
        ("criteria.communeInsee", "UNKNOWN_COMMUNE"),
        ("criteria.radiusKm", "OUT_OF_RANGE"),
    }
    alone = await api(SEARCH, {"criteria": {"radiusKm": 5, "departements": ["2A", "ZZ"]}}, token)
    assert {(e["field"], e["code"]) for e in alone["cvSearch"]["userErrors"]} == {
        ("criteria.radiusKm", "DISTANCE_WITHOUT_COMMUNE"),
        ("criteria.departements", "UNKNOWN_DEPARTEMENT"),
    }
    for who in (candidate.token, None):
        refused = await api(SEARCH, {}, who)
        assert refused["cvSearch"]["edges"] == []
        assert refused["cvSearch"]["userErrors"] == [{"field": None, "code": "WRONG_ACCOUNT_KIND"}]


async def test_an_anonymous_cv_never_shows_who_it_is_to_an_employer(
    api: GraphQL, http: httpx.AsyncClient
) -> None:
    candidate = await sign_up_candidate(api)
    dossier = await create_dossier(api, candidate.token, **IDENTITY)
    cv = await create_cv(api, candidate.token, dossier["id"])
    owner_view = await attach_pdf(http, candidate.token, cv["id"], tiny_pdf("Gwenaëlle Kervarec"))
    await publish_cv(api, candidate.token, cv["id"], "ANONYMOUS")
    employer = await sign_up_employer(api)

    found = await http.post(
        "/graphql",
        json={"query": SEARCH, "variables": {"criteria": {"communeInsee": "22070"}}},
        headers={"Authorization": f"Bearer {employer.token}"},
    )
    by_node = await http.post(
        "/graphql",
        json={"query": NODE, "variables": {"id": cv["id"]}},
        headers={"Authorization": f"Bearer {employer.token}"},
    )

    for response in (found, by_node):
        text = response.text
        assert response.status_code == 200 and "errors" not in response.json(), text
        for secret in SECRETS:
            assert secret not in text, secret
    node = by_node.json()["data"]["node"]
    assert node["candidate"] is None and node["file"] is None and node["dossierId"] is None
    assert node["place"] == {
        "communeInsee": "22070",
        "communeName": "Guingamp",
        "departementCode": "22",
        "departementName": "Côtes-d'Armor",
    }
    assert [e["node"]["id"] for e in found.json()["data"]["cvSearch"]["edges"]] == [cv["id"]]
    url = owner_view["file"]["url"]
    refused = await http.get(url, headers={"Authorization": f"Bearer {employer.token}"})
    assert refused.status_code == 404 and b"Kervarec" not in refused.content

    await publish_cv(api, candidate.token, cv["id"], "PUBLISHED")
    named = (await api(NODE, {"id": cv["id"]}, employer.token))["node"]
    assert named["candidate"]["nom"] == "Kervarec"
    assert named["candidate"]["email"] == "gwenaelle.kervarec@example.org"
    assert named["candidate"]["phoneMobile"]["e164"] == "+33671429358"
    assert "Trois Rois" not in json.dumps(named)  # the street is never shown to employers
    download = await http.get(url, headers={"Authorization": f"Bearer {employer.token}"})
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")


async def test_who_sees_a_cv_at_node_and_connection_level(
    api: GraphQL, http: httpx.AsyncClient
) -> None:
    owner = await sign_up_candidate(api)
    dossier = await create_dossier(api, owner.token)
    private = await create_cv(api, owner.token, dossier["id"], title="Privé")
    public = await create_cv(api, owner.token, dossier["id"], title="Publié")
    await publish_cv(api, owner.token, public["id"], "PUBLISHED")
    stranger = await sign_up_candidate(api)
    await create_dossier(api, stranger.token)
    employer = await sign_up_employer(api)

    for cv in (private, public):
        assert (await api(NODE, {"id": cv["id"]}, owner.token))["node"]["id"] == cv["id"]
        assert (await api(NODE, {"id": cv["id"]}, stranger.token))["node"] is None
        assert (await api(NODE, {"id": cv["id"]}))["node"] is None
    assert (await api(NODE, {"id": private["id"]}, employer.token))["node"] is None
    assert (await api(NODE, {"id": public["id"]}, employer.token))["node"]["id"] == public["id"]

    mine = await api(MY_CVS, token=owner.token)
    theirs = await api(MY_CVS, token=stranger.token)
    [owner_dossier] = mine["viewer"]["dossiers"]["edges"]
    assert [e["node"]["id"] for e in owner_dossier["node"]["cvs"]["edges"]] == [
        private["id"],
        public["id"],
    ]
    [stranger_dossier] = theirs["viewer"]["dossiers"]["edges"]
    assert stranger_dossier["node"]["cvs"]["edges"] == []
    assert (await api(DOSSIER_CVS, {"id": dossier["id"]}, stranger.token))["node"] is None
    assert (await api(DOSSIER_CVS, {"id": dossier["id"]}, employer.token))["node"] is None
    assert await search(api, employer.token) == ["Publié"]

    for who in (stranger.token, employer.token):
        code = "NOT_FOUND" if who == stranger.token else "WRONG_ACCOUNT_KIND"
        field = "id" if who == stranger.token else None
        update = await api(CV_UPDATE, {"input": {"id": public["id"], "title": "X"}}, who)
        publish = await api(CV_PUBLISH, {"id": private["id"], "visibility": "PUBLISHED"}, who)
        delete = await api(CV_DELETE, {"id": public["id"]}, who)
        upload = await upload_file(http, who, private["id"], tiny_pdf())
        for payload in (
            update["cvUpdate"],
            publish["cvPublish"],
            delete["cvDelete"],
            upload.json()["data"]["cvFileUpload"],
        ):
            assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(field, code)]
    into_other = await api(
        CV_CREATE, {"input": {"dossierId": dossier["id"], **cv_form()}}, stranger.token
    )
    assert [(e["field"], e["code"]) for e in into_other["cvCreate"]["userErrors"]] == [
        ("dossierId", "NOT_FOUND")
    ]


async def test_completeness_and_the_dashboard(api: GraphQL, http: httpx.AsyncClient) -> None:
    candidate = await sign_up_candidate(api)
    dossier = await create_dossier(api, candidate.token)
    bare = {name: [] for name in ("experiences", "educations", "skills", "languages")}

    cv = await create_cv(
        api, candidate.token, dossier["id"], romeCode=None, summary=None, drivingLicences=[], **bare
    )

    assert cv["completeness"] == {
        "score": 10,
        "missing": [
            "METIER",
            "SUMMARY",
            "EXPERIENCE",
            "EDUCATION",
            "SKILLS",
            "LANGUAGES",
            "DRIVING_LICENCES",
            "FILE",
        ],
    }
    with_file = await attach_pdf(http, candidate.token, cv["id"])
    assert with_file["completeness"]["score"] == 20
    await publish_cv(api, candidate.token, cv["id"], "ANONYMOUS")
    await publish_cv(api, candidate.token, cv["id"], "PRIVATE")

    board = (await api(DASHBOARD, token=candidate.token))["viewer"]["dashboard"]
    events = [e["node"] for e in board["events"]["edges"] if e["node"]["service"] == "CVS"]
    assert [e["kind"] for e in events] == [
        "CV_UNPUBLISHED",
        "CV_PUBLISHED",
        "CV_UPDATED",
        "CV_CREATED",
    ]
    assert events[1]["message"] == "CV « Boulangère expérimentée » publié anonymement."
    assert {e["subjectId"] for e in events} == {cv["id"]}
    assert board["newSinceLastVisit"]["cvs"] == 4


async def test_the_local_storage_keeps_files_under_its_folder(tmp_path: Path) -> None:
    storage = LocalFileStorage(tmp_path / "files")

    key = await storage.put(b"%PDF-1.4\n%%EOF", "application/pdf")

    assert await storage.get(key) == b"%PDF-1.4\n%%EOF"
    [path] = [p for p in (tmp_path / "files").rglob("*") if p.is_file()]
    assert path.name == key and path.is_relative_to(tmp_path / "files")
    (tmp_path / "secret").write_bytes(b"not yours")
    for bad in ("../secret", "../../secret", str(tmp_path / "secret"), "", key.upper()):
        assert await storage.get(bad) is None
        await storage.delete(bad)  # refused quietly, never outside the folder
    assert (tmp_path / "secret").exists()
    await storage.delete(key)
    assert await storage.get(key) is None
    await storage.delete(key)  # already gone: nothing happens


def test_check_pdf_judges_the_content_not_the_name() -> None:
    check_pdf(tiny_pdf(), 10_000, "file")
    cases = [
        (b"", "FILE_EMPTY"),
        (tiny_pdf("x" * 200), "FILE_TOO_LARGE"),
        (b"\x89PNG\r\n\x1a\n%%EOF", "NOT_PDF"),
        (b"%PDF-1.7 no end", "NOT_PDF"),
    ]
    for data, code in cases:
        with pytest.raises(DomainError) as caught:
            check_pdf(data, 200, "attachments.0")
        [error] = caught.value.errors
        assert (error.field, error.code.value) == ("attachments.0", code)
