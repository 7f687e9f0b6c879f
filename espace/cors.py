"""Cross-origin access for browser apps (CORS), from the same allowlist as WebSockets.

``ESPACE_ALLOWED_ORIGINS`` lists the origins of the frontends that may call the API from a
browser. Over HTTP, Starlette's CORSMiddleware answers their preflights and marks their
responses; any other origin gets no ``Access-Control-Allow-Origin``, so the browser keeps the
response from the page. An empty list means no cross-origin access over HTTP at all (the
same origin, GraphiQL included, and non-browser clients never need CORS). Credentials
(cookies) are not allowed: the API authenticates with ``Authorization: Bearer``.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from strawberry.http.websocket_origin import normalize_origin

from espace.graphql_view import PREFLIGHT_HEADERS
from ground.settings import Settings

# Request headers a cross-origin page may send: the token, JSON, the CSRF-prevention headers
# multipart uploads require, the request ID, and Apollo Client's identification headers.
ALLOWED_HEADERS = (
    "authorization",
    "content-type",
    "accept",
    *PREFLIGHT_HEADERS,
    "x-request-id",
    "apollographql-client-name",
    "apollographql-client-version",
)
# Response headers the page may read besides the safelisted ones.
EXPOSED_HEADERS = ("x-request-id", "retry-after")
PREFLIGHT_MAX_AGE = 600  # seconds a browser may cache a preflight


def allowed_origins(settings: Settings) -> list[str]:
    """The allowlist as browsers spell an ``Origin`` (lower case, no default port)."""
    return sorted({o for o in map(normalize_origin, settings.allowed_origins) if o is not None})


def cors_middleware(settings: Settings) -> list[Middleware]:
    """The CORS middleware for the allowlist; none when it is empty."""
    if not settings.allowed_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=allowed_origins(settings),
            allow_methods=["GET", "POST"],
            allow_headers=list(ALLOWED_HEADERS),
            expose_headers=list(EXPOSED_HEADERS),
            allow_credentials=False,
            max_age=PREFLIGHT_MAX_AGE,
        )
    ]
