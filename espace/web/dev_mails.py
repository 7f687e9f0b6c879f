"""``/dev/mails``: the outbox, to read the mails and click their links (demo and debug only)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment
from markupsafe import Markup, escape
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from ground.runtime import Runtime
from mailer.smtp import build_message
from models.mail import MailStatus, OutboxMail

PAGE_SIZE = 50

STATUS_LABELS = {
    MailStatus.PENDING: "en attente",
    MailStatus.SENDING: "envoi en cours",
    MailStatus.SENT: "envoyé",
    MailStatus.DEAD: "abandonné",
}

# The mails hold tokens: nothing is cached, leaked by referrer, framed by others or scripted.
_CSP = "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; "
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": _CSP + "frame-ancestors 'none'",
}
# The detail page shows the HTML part in a sandboxed srcdoc iframe, which inherits the
# page's policy: it must allow being framed by its own origin, or the part is refused.
DETAIL_HEADERS = {**HEADERS, "Content-Security-Policy": _CSP + "frame-ancestors 'self'"}
_LINK = re.compile(r"<a\b(?![^>]*\btarget=)", re.IGNORECASE)

_URL = re.compile(r"https?://[^\s<>\"']+")

_BASE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ title }} — Espace Candidat (dev)</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1d1d1b}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #dde;padding:.4rem .6rem;text-align:left;vertical-align:top}
.dead{color:#b00020}.sent{color:#1b7a2b}
iframe{width:100%;height:36rem;border:1px solid #ccd}
pre{white-space:pre-wrap;background:#f6f7f9;padding:1rem}
</style></head><body>
"""

LIST_PAGE = (
    _BASE
    + """<h1>Courriels</h1>
<p>Les {{ limit }} derniers courriels de l'outbox, du plus récent au plus ancien.</p>
<table><thead><tr><th>N°</th><th>Créé le ({{ zone }})</th><th>Statut</th><th>Destinataire</th>
<th>Objet</th><th>Essais</th></tr></thead><tbody>
{% for m in mails %}
<tr><td><a href="/dev/mails/{{ m.id }}">{{ m.id }}</a></td>
<td>{{ local(m.created_at) }}</td>
<td class="{{ m.status }}">{{ labels.get(m.status, m.status) }}</td>
<td>{{ m.to_addr }}</td>
<td><a href="/dev/mails/{{ m.id }}">{{ m.subject }}</a></td><td>{{ m.attempts }}</td></tr>
{% else %}
<tr><td colspan="6">Aucun courriel pour l'instant.</td></tr>
{% endfor %}
</tbody></table></body></html>
"""
)

DETAIL_PAGE = (
    _BASE
    + """<p><a href="/dev/mails">← Tous les courriels</a></p>
<h1>{{ m.subject }}</h1>
<table>
<tr><th>Destinataire</th><td>{{ m.to_addr }}</td></tr>
<tr><th>Statut</th><td class="{{ m.status }}">{{ labels.get(m.status, m.status) }}</td></tr>
<tr><th>Essais</th><td>{{ m.attempts }}</td></tr>
<tr><th>Modèle</th><td>{{ m.template }}</td></tr>
<tr><th>Créé le</th><td>{{ local(m.created_at) }} ({{ zone }})</td></tr>
{% if m.sent_at %}<tr><th>Envoyé le</th><td>{{ local(m.sent_at) }} ({{ zone }})</td></tr>
{% endif %}
{% if m.last_error %}<tr><th>Dernière erreur</th><td>{{ m.last_error }}</td></tr>{% endif %}
</table>
<h2>En-têtes</h2>
<table class="headers">
{% for name, value in headers %}<tr><th>{{ name }}</th><td>{{ value }}</td></tr>
{% endfor %}</table>
<h2>Version texte</h2>
<pre>{{ text }}</pre>
<h2>Version HTML</h2>
<p>Ses liens s'ouvrent dans un nouvel onglet.</p>
<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="{{ html }}"
 title="Version HTML du courriel"></iframe>
</body></html>
"""
)


def linkify(text: str) -> Markup:
    """Escape ``text`` and make its http(s) links clickable."""
    parts: list[Markup] = []
    pos = 0
    for match in _URL.finditer(text):
        parts.append(escape(text[pos : match.start()]))
        parts.append(
            Markup('<a href="{0}" target="_blank" rel="noopener noreferrer">{0}</a>').format(
                match.group(0)
            )
        )
        pos = match.end()
    parts.append(escape(text[pos:]))
    return Markup("").join(parts)


def clickable(html: str) -> str:
    """The HTML part with every link opening a new tab: inside the sandboxed frame a link
    would navigate the frame itself, to pages that refuse to be framed."""
    return _LINK.sub('<a target="_blank" rel="noopener noreferrer"', html)


def routes(runtime: Runtime) -> list[Route]:
    settings = runtime.settings
    zone = ZoneInfo(settings.timezone)
    zone_label = "heure de Paris" if settings.timezone == "Europe/Paris" else settings.timezone

    def local(moment: datetime) -> str:
        return moment.astimezone(zone).strftime("%d/%m/%Y %H:%M:%S")

    env = Environment(autoescape=True)
    env.globals.update(local=local, zone=zone_label)
    list_page = env.from_string(LIST_PAGE)
    detail_page = env.from_string(DETAIL_PAGE)

    async def mail_list(_request: Request) -> HTMLResponse:
        async with runtime.sessionmaker() as session:
            rows = await session.scalars(
                select(OutboxMail).order_by(OutboxMail.id.desc()).limit(PAGE_SIZE)
            )
            mails = rows.all()
        html = list_page.render(
            title="Courriels", mails=mails, limit=PAGE_SIZE, labels=STATUS_LABELS
        )
        return HTMLResponse(html, headers=HEADERS)

    async def mail_detail(request: Request) -> HTMLResponse:
        async with runtime.sessionmaker() as session:
            mail = await session.get(OutboxMail, request.path_params["id"])
        if mail is None:
            return HTMLResponse(
                '<!doctype html><html lang="fr"><title>Introuvable</title>'
                "<p>Ce courriel n'existe pas.</p></html>",
                status_code=404,
                headers=HEADERS,
            )
        message = build_message(mail, settings.mail_from)
        headers = [(name, linkify(str(value))) for name, value in message.items()]
        html = detail_page.render(
            title=mail.subject,
            m=mail,
            text=linkify(mail.text_body),
            html=clickable(mail.html_body),
            headers=headers,
            labels=STATUS_LABELS,
        )
        return HTMLResponse(html, headers=DETAIL_HEADERS)

    return [
        Route("/dev/mails", mail_list, methods=["GET"], name="dev_mails"),
        Route("/dev/mails/{id:int}", mail_detail, methods=["GET"], name="dev_mail"),
    ]
