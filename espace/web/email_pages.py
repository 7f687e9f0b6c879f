"""Pages behind the links of the e-mail confirmation mail (owned by the dossiers domain).

- GET ``/courriel/confirmer?token=…`` confirms the address and says so;
- GET ``/courriel/signaler?token=…`` offers to remove the address ("Je signale une
  erreur"), which a POST of the same token does.

A forged link answers 400, a used or expired one 410, each with a French page. Names
typed by people are HTML-escaped (Jinja2 autoescape).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ground.db import begin_write
from ground.runtime import Runtime
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.dossiers import email_confirmation

PAGE = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ title }} — Espace Candidat</title>
<style>
body { margin: 0; background: #f2f4f7; color: #1d1d1b; font-family: Arial, Helvetica, sans-serif; }
main { max-width: 560px; margin: 40px auto; padding: 28px; background: #fff; border-radius: 6px; }
h1 { font-size: 22px; color: #1c3f94; }
button { padding: 12px 20px; border: 0; border-radius: 4px; background: #1c3f94; color: #fff;
  font-weight: bold; font-size: 15px; cursor: pointer; }
a { color: #1c3f94; }
</style>
</head>
<body>
<main>
<h1>{{ title }}</h1>
{% for paragraph in paragraphs %}
<p>{{ paragraph }}</p>
{% endfor %}
{% if form_token %}
<form method="post" action="{{ form_action }}">
<input type="hidden" name="token" value="{{ form_token }}">
<button type="submit">{{ form_button }}</button>
</form>
{% endif %}
<p><a href="{{ home }}">Aller à mon Espace Candidat</a></p>
</main>
</body>
</html>
"""

HEADERS = {
    "Cache-Control": "no-store",
    # The token is in the URL: never pass it on to another site.
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
    ),
}

STATUS = {ErrorCode.TOKEN_INVALID: 400, ErrorCode.TOKEN_USED: 410, ErrorCode.TOKEN_EXPIRED: 410}


def page_renderer(
    runtime: Runtime, form_action: str, form_button: str
) -> Callable[..., HTMLResponse]:
    """``page(status, title=…, paragraphs=[…], form_token=…)``: a French page whose optional
    form posts the token to ``form_action``."""
    template = Environment(autoescape=True).from_string(PAGE)
    home = runtime.settings.public_url

    def page(status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("paragraphs", [])
        context.setdefault("form_token", None)
        html = template.render(
            home=home, form_action=form_action, form_button=form_button, **context
        )
        return HTMLResponse(html, status_code=status, headers=HEADERS)

    return page


def routes(runtime: Runtime) -> list[Route]:
    page = page_renderer(
        runtime,
        email_confirmation.REPORT_PATH,
        "Je demande la suppression de mon courriel dans cet espace personnel",
    )

    def error_page(exc: DomainError) -> HTMLResponse:
        error = exc.errors[0]
        return page(
            STATUS.get(error.code, 400),
            title="Ce lien ne peut pas être utilisé",
            paragraphs=[
                error.message,
                "Depuis votre Espace Candidat, vous pouvez demander un nouveau courriel de "
                "confirmation.",
            ],
        )

    async def confirm(request: Request) -> Response:
        if request.method == "HEAD":  # link checkers must not confirm anything
            return page(title="Confirmation de votre adresse électronique")
        token = request.query_params.get("token", "")
        try:
            async with runtime.sessionmaker() as session, session.begin():
                await begin_write(session)
                dossier = await email_confirmation.confirm_email(session, runtime, token)
        except DomainError as exc:
            return error_page(exc)
        return page(
            title="Votre adresse électronique est validée",
            paragraphs=[
                f"L'adresse {dossier.email} du dossier de recherche d'emploi "
                f"«{dossier.name}» est confirmée.",
                "Vous pouvez désormais vous abonner aux offres d'emploi avec ce dossier.",
            ],
        )

    async def report_form(request: Request) -> Response:
        token = request.query_params.get("token", "")
        try:
            async with runtime.sessionmaker() as session:
                target = await email_confirmation.find_link(session, runtime, token, report=True)
        except DomainError as exc:
            return error_page(exc)
        return page(
            title="Je signale une erreur",
            paragraphs=[
                f"L'adresse {target.confirmation.email} a été indiquée dans le dossier de "
                f"recherche d'emploi «{target.dossier.name}» d'un Espace Candidat.",
                "Si ce n'est pas votre demande, vous pouvez faire supprimer cette adresse "
                "de cet espace personnel : vous ne recevrez plus de courriel à son sujet.",
            ],
            form_token=token,
        )

    async def report(request: Request) -> Response:
        form = await request.form()
        token = form.get("token")
        try:
            async with runtime.sessionmaker() as session, session.begin():
                await begin_write(session)
                dossier = await email_confirmation.remove_reported_email(
                    session, runtime, token if isinstance(token, str) else ""
                )
        except DomainError as exc:
            return error_page(exc)
        return page(
            title="Votre adresse électronique a été supprimée",
            paragraphs=[
                f"Votre adresse ne figure plus dans le dossier «{dossier.name}». "
                "Le titulaire de l'espace personnel en est averti.",
            ],
        )

    path = email_confirmation
    return [
        Route(path.CONFIRM_PATH, confirm, methods=["GET"]),
        Route(path.REPORT_PATH, report_form, methods=["GET"]),
        Route(path.REPORT_PATH, report, methods=["POST"]),
    ]
