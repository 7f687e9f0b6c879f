"""The PDF attached to a CV: uploaded, downloaded, replaced, removed; only real PDFs under the
size limit."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from models.cvs import Cv
from tests.conftest import LiveServer
from tests.cvs.test_cvs import (
    CV_DELETE,
    CV_FILE_DELETE,
    candidate_with_cv,
    settings_overrides,  # noqa: F401  (uploads in tmp_path)
    stored_files,
)
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.cvs import (
    attach_pdf,
    create_cv,
    tiny_pdf,
    upload_file,
)


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
