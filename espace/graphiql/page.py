"""Our GraphiQL page (in place of Strawberry's, which loads everything from unpkg.com)."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, parse
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from espace.graphiql.assets import Assets

OPERATIONS_DIR = Path(__file__).resolve().parents[2] / "graphql" / "operations"

DEFAULT_QUERY = """\
# Bienvenue dans GraphiQL, l'explorateur de l'API
# d'Espace Candidat.
#
# Se connecter
#  1. Ouvrez « Exemples » (icône liste, à gauche) et
#     choisissez SessionCreate. Variables d'un candidat :
#     {"identifiant": "…", "postalCode": "…",
#      "password": "…"}
#     d'un employeur ou d'un conseiller :
#     {"email": "…", "password": "…"}
#  2. Exécutez-la (▶), puis cliquez « Utiliser le jeton
#     reçu » en haut de la page, ou collez le jeton dans
#     le champ « Jeton ». Il part dans l'en-tête
#     Authorization des requêtes HTTP et dans le
#     connection_init des abonnements (WebSocket) :
#     une seule saisie pour les deux. Un en-tête
#     Authorization écrit dans l'onglet « Headers »
#     passe avant le champ.
#  3. Essayez Viewer, Dashboard, puis l'abonnement
#     DashboardEvents : les événements arrivent en
#     direct dans la réponse.
#
# Chaque type et chaque champ est documenté : ouvrez
# la documentation (icône livre). Ctrl+Espace complète,
# Ctrl+Entrée exécute.
#
# Sans connexion, par exemple : les communes d'un
# code postal.
query Communes {
  communes(postalCode: "22200") {
    inseeCode
    name
  }
}
"""

STYLESHEETS = ("vendor/graphiql.min.css", "vendor/plugin-explorer.css", "espace-graphiql.css")
SCRIPTS = (
    "vendor/react.production.min.js",
    "vendor/react-dom.production.min.js",
    "vendor/graphiql.min.js",
    "vendor/plugin-explorer.umd.js",
    "vendor/graphql-ws.min.js",
    "espace-graphiql.js",
)

PAGE = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>GraphiQL — Espace Candidat</title>
<link rel="icon" href="data:,">
{stylesheets}
</head>
<body>
<div id="espace-graphiql"><noscript>GraphiQL a besoin de JavaScript.</noscript></div>
<script type="application/json" id="espace-graphiql-config">{config}</script>
{scripts}
</body>
</html>
"""

HOST = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]+)?$|^\[[0-9A-Fa-f:.]+\](:[0-9]+)?$")


@dataclass(frozen=True, slots=True)
class Operation:
    """An example operation file, offered in the page's « Exemples » list."""

    name: str
    kinds: list[str]
    operation_names: list[str]
    document: str


def example_operations(directory: Path = OPERATIONS_DIR) -> list[Operation]:
    """The ``.graphql`` files of ``directory`` with the kinds of their operations."""
    operations = []
    for path in sorted(directory.glob("*.graphql")):
        document = path.read_text(encoding="utf-8")
        try:
            definitions = parse(document).definitions
        except GraphQLError:
            continue  # tests/project/test_sdl.py keeps them valid; a broken one is not offered
        ops = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
        kinds = list(dict.fromkeys(d.operation.value for d in ops))
        names = [d.name.value for d in ops if d.name is not None]
        operations.append(Operation(path.stem, kinds, names, document))
    return operations


def content_security_policy(request: Request) -> str:
    """Scripts from this server only; the WebSocket of this host besides ``'self'``."""
    connect = "'self'"
    host = request.headers.get("host", "")
    if HOST.match(host):
        connect += f" ws://{host} wss://{host}"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data:; font-src 'self' data:; connect-src {connect}; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class GraphiQLPage:
    """The page served to browsers on ``GET /graphql``, and its files."""

    def __init__(self, endpoint: str = "/graphql", assets: Assets | None = None) -> None:
        self.endpoint = endpoint
        self.assets = assets or Assets()

    @cached_property
    def html(self) -> str:
        config = {
            "url": self.endpoint,
            "defaultQuery": DEFAULT_QUERY,
            "operations": [
                {
                    "name": o.name,
                    "kinds": o.kinds,
                    "operationNames": o.operation_names,
                    "document": o.document,
                }
                for o in example_operations()
            ],
        }
        stylesheets = "\n".join(
            f'<link rel="stylesheet" href="{self.assets.url(name)}">' for name in STYLESHEETS
        )
        scripts = "\n".join(f'<script src="{self.assets.url(name)}"></script>' for name in SCRIPTS)
        return PAGE.format(stylesheets=stylesheets, scripts=scripts, config=script_json(config))

    async def response(self, request: Request) -> HTMLResponse:
        # The first page reads (and hashes, and compresses) the files: off the event loop.
        html = await asyncio.to_thread(lambda: self.html)
        return HTMLResponse(
            html,
            headers={
                "Content-Security-Policy": content_security_policy(request),
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
                "Cache-Control": "no-cache",
            },
        )

    def routes(self) -> list[Route]:
        return self.assets.routes()
