"""The site root: a small French page that says what the service is and where to go.

Mails and pages link to the root; it used to be a plain-text 404.
"""

from __future__ import annotations

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from ground.settings import Settings

PAGE = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Espace Candidat</title>
<link rel="icon" href="data:,">
<style>
body { margin: 0; background: #f2f4f7; color: #1d1d1b; font: 16px/1.5 Arial, sans-serif; }
main { max-width: 640px; margin: 40px auto; padding: 28px; background: #fff; border-radius: 6px; }
h1 { font-size: 24px; color: #1c3f94; margin-top: 0; }
h2 { font-size: 17px; color: #1c3f94; }
a { color: #1c3f94; }
code { background: #eef1f6; padding: 1px 4px; border-radius: 3px; }
.note { color: #5b6475; font-size: 14px; }
</style>
</head>
<body>
<main>
<h1>Espace Candidat</h1>
<p>Ce serveur est l'API de l'espace personnel des demandeurs d'emploi : inscription et
connexion, dossiers de recherche d'emploi, tableau de bord en direct, offres et alertes,
CV, candidatures, propositions et messages.</p>
<p>Les applications l'appellent en GraphQL sur <code>{{ endpoint }}</code> (HTTP) ; les
abonnements passent par un WebSocket à la même adresse (protocole
<code>graphql-transport-ws</code>).</p>
<h2>Explorer l'API</h2>
<ul>
{% if graphiql %}
<li><a href="/graphql">GraphiQL</a> : écrire et exécuter des requêtes, avec des exemples
prêts à l'emploi.</li>
<li><a href="/graphql#docs">La documentation du schéma</a> : chaque type et chaque champ
y est décrit.</li>
{% else %}
<li>GraphiQL est désactivé sur ce serveur. Le schéma documenté est dans le dépôt du
projet (<code>graphql/schema.graphql</code>).</li>
{% endif %}
<li>Le guide d'installation et de démarrage est le <code>README.md</code> du dépôt du
projet.</li>
{% if dev_mails %}
<li><a href="/dev/mails">Les courriels envoyés</a> (développement et démonstration).</li>
{% endif %}
<li><a href="/healthz">L'état du service</a>.</li>
</ul>
{% if demo %}
<p class="note">Serveur de démonstration : toutes les données sont fictives et sont
recréées à chaque lancement.</p>
{% endif %}
</main>
</body>
</html>
"""

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
}


def render(settings: Settings) -> str:
    """The page for these settings (what is switched on decides the links)."""
    template = Environment(autoescape=True).from_string(PAGE)
    return template.render(
        endpoint=settings.link("/graphql"),
        graphiql=settings.graphiql_enabled,
        dev_mails=settings.debug or settings.demo,
        demo=settings.demo,
    )


def routes(settings: Settings) -> list[Route]:
    html = render(settings)

    async def landing(_request: Request) -> HTMLResponse:
        return HTMLResponse(html, headers=HEADERS)

    return [Route("/", landing, methods=["GET"])]
