"""Helpers for tests that need CVs: create one, publish it, attach a PDF.

    dossier = await create_dossier(api, candidate.token)
    cv = await create_cv(api, candidate.token, dossier["id"], title="Boulangère")
    await publish_cv(api, candidate.token, cv["id"], "ANONYMOUS")

Every helper goes through GraphQL over HTTP and checks the answer.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.support.client import GraphQL

CV_FIELDS = """
  id title visibility summary skills drivingLicences publishedAt dossierId
  metier { romeCode appellationCode libelle }
  experiences { job employer place startDate endDate description }
  educations { diploma level levelLabel domain year }
  languages { language level levelLabel }
  file { name size uploadedAt url }
  completeness { score missing }
"""

CV_CREATE = f"""
mutation ($input: CvCreateInput!) {{
  cvCreate(input: $input) {{ cv {{ {CV_FIELDS} }} userErrors {{ field code message }} }}
}}
"""

CV_PUBLISH = """
mutation ($input: CvPublishInput!) {
  cvPublish(input: $input) { cv { id visibility publishedAt } userErrors { field code message } }
}
"""

CV_FILE_UPLOAD = """
mutation ($input: CvFileUploadInput!) {
  cvFileUpload(input: $input) {
    cv { id file { name size uploadedAt url } completeness { score missing } }
    userErrors { field code message }
  }
}
"""


def cv_form(**overrides: Any) -> dict[str, Any]:
    """A complete CV form (without dossierId): a boulangère in Brittany."""
    form: dict[str, Any] = {
        "title": "Boulangère expérimentée",
        "romeCode": "D1102",
        "summary": "Dix ans de fournil, pain au levain et viennoiseries.",
        "experiences": [
            {
                "job": "Boulangère",
                "employer": "Boulangerie du Trieux",
                "place": "Guingamp",
                "startDate": "2015-03-01",
                "endDate": "2024-06-30",
                "description": "Panification, pétrissage, cuisson au four à sole.",
            }
        ],
        "educations": [
            {"diploma": "CAP Boulanger", "level": "CAP_BEP", "domain": "Boulangerie", "year": 2014}
        ],
        "skills": ["Pétrissage", "Levain naturel"],
        "languages": [{"language": "Anglais", "level": "B1"}],
        "drivingLicences": ["B"],
    }
    form.update(overrides)
    return form


async def create_cv(api: GraphQL, token: str, dossier_id: str, **overrides: Any) -> dict[str, Any]:
    """Create a CV (``cv_form`` with ``overrides``) and check it was accepted; returns it."""
    variables = {"input": {"dossierId": dossier_id, **cv_form(**overrides)}}
    data = await api(CV_CREATE, variables, token=token)
    payload = data["cvCreate"]
    assert payload["userErrors"] == [], payload
    cv: dict[str, Any] = payload["cv"]
    return cv


async def publish_cv(api: GraphQL, token: str, cv_id: str, visibility: str) -> dict[str, Any]:
    """Set the CV's visibility (PRIVATE, PUBLISHED or ANONYMOUS) and check it was accepted."""
    data = await api(CV_PUBLISH, {"input": {"id": cv_id, "visibility": visibility}}, token=token)
    payload = data["cvPublish"]
    assert payload["userErrors"] == [], payload
    cv: dict[str, Any] = payload["cv"]
    assert cv["visibility"] == visibility
    return cv


def tiny_pdf(text: str = "CV") -> bytes:
    """A small, well-formed PDF (one empty page with ``text`` in a comment)."""
    return (
        b"%PDF-1.4\n"
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
        b"% " + text.encode() + b"\n"
        b"trailer << /Root 1 0 R >>\n"
        b"%%EOF\n"
    )


async def upload_file(
    http: httpx.AsyncClient,
    token: str,
    cv_id: str,
    data: bytes,
    filename: str = "cv.pdf",
    content_type: str = "application/pdf",
    preflight: bool = True,
) -> httpx.Response:
    """Send ``cvFileUpload`` as a GraphQL multipart request (the response, unchecked)."""
    operations = {"query": CV_FILE_UPLOAD, "variables": {"input": {"id": cv_id, "file": None}}}
    headers = {"Authorization": f"Bearer {token}"}
    if preflight:
        headers["GraphQL-Require-Preflight"] = "1"
    return await http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": (filename, data, content_type)},
        headers=headers,
    )


async def attach_pdf(
    http: httpx.AsyncClient, token: str, cv_id: str, data: bytes | None = None
) -> dict[str, Any]:
    """Attach a PDF to the CV and check it was accepted; returns the payload's CV."""
    response = await upload_file(http, token, cv_id, data or tiny_pdf())
    assert response.status_code == 200, response.text
    payload = response.json()["data"]["cvFileUpload"]
    assert payload["userErrors"] == [], payload
    cv: dict[str, Any] = payload["cv"]
    return cv
