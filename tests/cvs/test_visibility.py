"""CVs as employers see them: search, anonymous CVs, visibility by node and connection;
completeness; the local file storage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from ground.storage import LocalFileStorage
from resolvers.core.errors import DomainError
from resolvers.core.uploads import check_pdf
from tests.cvs.test_cvs import (
    CV_DELETE,
    CV_PUBLISH,
    CV_UPDATE,
    DASHBOARD,
    DOSSIER_CVS,
    IDENTITY,
    MY_CVS,
    NODE,
    SEARCH,
    SECRETS,
    settings_overrides,  # noqa: F401  (uploads in tmp_path)
)
from tests.support.accounts import sign_up_candidate, sign_up_employer
from tests.support.client import GraphQL
from tests.support.cvs import (
    CV_CREATE,
    attach_pdf,
    create_cv,
    cv_form,
    publish_cv,
    tiny_pdf,
    upload_file,
)
from tests.support.dossiers import create_dossier


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
