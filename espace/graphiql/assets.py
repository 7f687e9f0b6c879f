"""The GraphiQL page's browser files, served by the app under ``/graphiql/``.

Only the files listed in ``FILES`` are served. Each is read once, then kept in memory with
its gzip form (most of GraphiQL's megabyte is text). A URL carrying the file's version
(``?v=`` and the start of its SHA-256, as the page writes it) is cached for a year; any
other is revalidated with its ETag.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

ASSETS_DIR = Path(__file__).resolve().parent / "assets"

FILES = (
    "espace-graphiql.js",
    "espace-graphiql.css",
    "vendor/react.production.min.js",
    "vendor/react-dom.production.min.js",
    "vendor/graphiql.min.js",
    "vendor/graphiql.min.css",
    "vendor/plugin-explorer.umd.js",
    "vendor/plugin-explorer.css",
    "vendor/graphql-ws.min.js",
)
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    gzipped: bytes
    version: str
    media_type: str

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


def load(path: Path) -> Asset:
    """Read a file and prepare what its responses need."""
    body = path.read_bytes()
    return Asset(
        body=body,
        gzipped=gzip.compress(body, compresslevel=9, mtime=0),
        version=hashlib.sha256(body).hexdigest()[:16],
        media_type=MEDIA_TYPES[path.suffix],
    )


class Assets:
    """The served files, loaded on first use."""

    def __init__(self, directory: Path = ASSETS_DIR) -> None:
        self.directory = directory
        self._loaded: dict[str, Asset] = {}

    def get(self, name: str) -> Asset:
        asset = self._loaded.get(name)
        if asset is None:
            asset = self._loaded[name] = load(self.directory / name)
        return asset

    def url(self, name: str) -> str:
        """The versioned URL of a file, for the page's ``<script>`` and ``<link>`` tags."""
        return f"/graphiql/{name}?v={self.get(name).version}"

    async def endpoint(self, request: Request) -> Response:
        name = request.path_params["path"]
        if name not in FILES:
            return PlainTextResponse("Fichier introuvable.", status_code=404)
        loaded = self._loaded.get(name)
        asset = loaded if loaded is not None else await asyncio.to_thread(self.get, name)
        headers = {
            "ETag": asset.etag,
            "Cache-Control": IMMUTABLE
            if request.query_params.get("v") == asset.version
            else "no-cache",
            "Vary": "Accept-Encoding",
            "X-Content-Type-Options": "nosniff",
        }
        if request.headers.get("if-none-match") == asset.etag:
            return Response(status_code=304, headers=headers)
        body = asset.body
        if "gzip" in request.headers.get("accept-encoding", ""):
            body, headers["Content-Encoding"] = asset.gzipped, "gzip"
        return Response(body, media_type=asset.media_type, headers=headers)

    def routes(self) -> list[Route]:
        return [Route("/graphiql/{path:path}", self.endpoint, methods=["GET"])]
