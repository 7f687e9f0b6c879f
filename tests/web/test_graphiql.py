"""GraphiQL over HTTP: our page and its files, served by the app itself (no CDN), and the
shipped files matching their SOURCES.md. The browser test is tests/web/test_graphiql_browser.py."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from espace.graphiql.assets import ASSETS_DIR, FILES

VENDOR = ASSETS_DIR / "vendor"
OPERATIONS = Path(__file__).resolve().parents[2] / "graphql" / "operations"
HTML = {"Accept": "text/html"}


async def page(http: httpx.AsyncClient) -> httpx.Response:
    response = await http.get("/graphql", headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return response


def config_of(html: str) -> dict[str, Any]:
    found = re.search(
        r'<script type="application/json" id="espace-graphiql-config">(.*?)</script>', html
    )
    assert found
    config: dict[str, Any] = json.loads(found.group(1))
    return config


async def test_the_page_loads_everything_from_the_server(http: httpx.AsyncClient) -> None:
    response = await page(http)
    html = response.text
    # every script and stylesheet is ours, under /graphiql/, and versioned
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert {u for u in urls if not u.startswith("/graphiql/")} == {"data:,"}
    assert len([u for u in urls if "?v=" in u]) == len(FILES)
    markup = re.sub(r'<script type="application/json".*?</script>', "", html, flags=re.S)
    assert "unpkg" not in markup and "https://" not in markup and "http://" not in markup
    # and the Content-Security-Policy allows scripts from the server only
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp
    assert "frame-ancestors 'none'" in csp
    assert f"ws://{http.base_url.netloc.decode()}" in csp


async def test_the_page_opens_with_a_french_default_query_and_the_examples(
    http: httpx.AsyncClient,
) -> None:
    config = config_of((await page(http)).text)
    assert config["url"] == "/graphql"
    assert config["defaultQuery"].startswith("# Bienvenue dans GraphiQL")
    assert "Authorization" in config["defaultQuery"] and "connection_init" in config["defaultQuery"]
    # every example operation is offered, with what it does
    names = [o["name"] for o in config["operations"]]
    assert names == sorted(p.stem for p in OPERATIONS.glob("*.graphql"))
    events = next(o for o in config["operations"] if o["name"] == "DashboardEvents")
    assert events["kinds"] == ["subscription"]
    assert events["operationNames"] == ["DashboardEvents"]
    assert events["document"] == (OPERATIONS / "DashboardEvents.graphql").read_text()


async def test_the_files_are_served_compressed_and_cached(http: httpx.AsyncClient) -> None:
    html = (await page(http)).text
    for url in re.findall(r'(?:src|href)="(/graphiql/[^"]+)"', html):
        name = url.removeprefix("/graphiql/").split("?")[0]
        response = await http.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, url
        assert response.headers["content-encoding"] == "gzip"
        assert response.content == (ASSETS_DIR / name).read_bytes()  # httpx decompressed it
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        assert response.headers["content-type"].startswith(kind)
        assert "immutable" in response.headers["cache-control"]
        # revalidation without the version: 304 with the ETag
        again = await http.get(
            f"/graphiql/{name}", headers={"If-None-Match": response.headers["etag"]}
        )
        assert again.status_code == 304
    graphiql = await http.get(
        "/graphiql/vendor/graphiql.min.js", headers={"Accept-Encoding": "gzip"}
    )
    assert int(graphiql.headers["content-length"]) < 400_000  # ~1 MB before compression


@pytest.mark.parametrize(
    "path",
    ["vendor/package.json", "vendor/SOURCES.md", "../page.py", "%2e%2e/page.py", "nope.js"],
)
async def test_only_the_page_s_files_are_served(http: httpx.AsyncClient, path: str) -> None:
    assert (await http.get(f"/graphiql/{path}")).status_code == 404


class TestGraphiQLOff:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        return {"graphiql": False}

    async def test_neither_page_nor_files(self, http: httpx.AsyncClient) -> None:
        assert (await http.get("/graphql", headers=HTML)).status_code == 404
        assert (await http.get("/graphiql/vendor/graphiql.min.js")).status_code == 404


def test_the_shipped_files_match_their_sources() -> None:
    sources = (VENDOR / "SOURCES.md").read_text()
    rows = re.findall(
        r"^\| `([^`]+)` \| `([^`]+)` .*\| (\d+) \| `([0-9a-f]{64})` \|$", sources, re.M
    )
    listed = {name: (package, int(size), sha) for name, package, size, sha in rows}
    vendored = {name.removeprefix("vendor/") for name in FILES if name.startswith("vendor/")}
    assert set(listed) == vendored
    for name, (_package, size, sha) in listed.items():
        data = (VENDOR / name).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (size, sha), name
        assert b"sourceMappingURL" not in data[-200:], name
    # each pinned package is in the lockfile and its licence is shipped
    pinned = json.loads((VENDOR / "package.json").read_text())["dependencies"]
    lock = json.loads((VENDOR / "package-lock.json").read_text())["packages"]
    licences = (VENDOR / "THIRD_PARTY_LICENSES.txt").read_text()
    for package, version in pinned.items():
        assert lock[f"node_modules/{package}"]["version"] == version
        assert f"{package}@{version} (MIT)" in licences
    assert {package for package, _size, _sha in listed.values()} == {
        f"{p}@{v}"
        for p, v in pinned.items()
        if p != "graphql"  # graphql-js is inside graphiql
    }


def test_the_rebuild_script_is_executable() -> None:
    script = Path(__file__).resolve().parents[2] / "scripts" / "build_graphiql"
    assert script.stat().st_mode & 0o111
    assert "npm ci" in script.read_text()
