"""The page behind the link of the password reset mail (``/mot-de-passe/reinitialiser``).

GET shows a small French form with the token in a hidden field; POST applies the
reset (``resolvers.identity.recovery.reset_password``, as the ``passwordReset`` mutation does)
and shows the result. Everything shown is escaped; the page is never cached,
framed, or sent as a referrer (the URL holds the token).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from ground.runtime import Runtime
from resolvers.core.errors import DomainError, ErrorCode, FieldError
from resolvers.core.unit_of_work import RuntimeWork
from resolvers.identity import recovery
from resolvers.identity.password_policy import MAX_LENGTH, MIN_LENGTH

HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}
# Errors that a new try of the same form cannot fix: show no form.
DEAD_LINK = {ErrorCode.TOKEN_INVALID, ErrorCode.TOKEN_USED, ErrorCode.TOKEN_EXPIRED}

STYLE = (
    "body{font-family:Arial,Helvetica,sans-serif;max-width:34rem;margin:2rem auto;"
    "padding:0 1rem;color:#1d1d1b}h1{color:#1c3f94;font-size:1.5rem}"
    ".erreur{color:#b00020}.ok{color:#1b7a3a}label{display:block;margin:1rem 0 .3rem}"
    "input[type=password]{width:100%;padding:.5rem;font-size:1rem}"
    "button{margin-top:1rem;padding:.6rem 1.2rem;font-size:1rem}"
)


def page(title: str, body: Markup, status: int = 200) -> HTMLResponse:
    html = Markup(
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>{title} – Espace Candidat</title><style>{style}</style></head>"
        "<body><h1>{title}</h1>{body}</body></html>"
    ).format(title=title, style=Markup(STYLE), body=body)
    return HTMLResponse(str(html), status_code=status, headers=HEADERS)


def form(token: str, errors: Sequence[FieldError] = ()) -> Markup:
    messages = Markup("").join(
        Markup('<p class="erreur" role="alert">{}</p>').format(e.message) for e in errors
    )
    return messages + Markup(
        '<form method="post" action="">'
        '<input type="hidden" name="token" value="{token}">'
        '<label for="new_password">Nouveau mot de passe</label>'
        '<input type="password" id="new_password" name="new_password" required '
        'minlength="{min}" maxlength="{max}" autocomplete="new-password">'
        "<p>Au moins {min} caractères. Une phrase de plusieurs mots est idéale ; évitez "
        "vos informations personnelles et les mots de passe courants.</p>"
        '<button type="submit">Enregistrer mon nouveau mot de passe</button></form>'
    ).format(token=token, min=MIN_LENGTH, max=MAX_LENGTH)


def dead_link(errors: list[FieldError]) -> HTMLResponse:
    body = Markup("").join(
        Markup('<p class="erreur" role="alert">{}</p>').format(e.message) for e in errors
    )
    return page("Lien de réinitialisation", body, status=400)


def routes(runtime: Runtime) -> list[Route]:
    async def reset_page(request: Request) -> HTMLResponse:
        if request.method == "POST":
            return await apply(request)
        token = request.query_params.get("token", "")
        work = RuntimeWork(runtime)
        try:
            await recovery.reset_token_row(work.read_session(), runtime.settings, token.strip())
        except DomainError as e:
            return dead_link(e.errors)
        finally:
            await work.close()
        return page("Choisir un nouveau mot de passe", form(token))

    async def apply(request: Request) -> HTMLResponse:
        fields = await request.form(max_files=0, max_fields=10)
        token = fields.get("token")
        password = fields.get("new_password")
        token = token if isinstance(token, str) else ""
        work = RuntimeWork(runtime)
        try:
            account = await recovery.reset_password(
                work,
                runtime,
                token=token,
                new_password=password if isinstance(password, str) else "",
            )
        except DomainError as e:
            if any(error.code in DEAD_LINK for error in e.errors):
                return dead_link(e.errors)
            return page("Choisir un nouveau mot de passe", form(token, e.errors), status=400)
        finally:
            await work.close()
        reminder = (
            Markup("<p>Votre identifiant : <strong>{}</strong></p>").format(account.identifiant)
            if account.identifiant
            else Markup("")
        )
        body = (
            Markup(
                '<p class="ok" role="status">Votre mot de passe a été changé. '
                "Toutes vos sessions ont été fermées : connectez-vous avec votre nouveau "
                "mot de passe.</p>"
            )
            + reminder
            + Markup('<p><a href="{}">Me connecter</a></p>').format(runtime.settings.link("/"))
        )
        return page("Mot de passe changé", body)

    return [Route(recovery.RESET_PATH, reset_page, methods=["GET", "POST"])]
