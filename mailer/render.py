"""Mail templates: French Jinja2 files rendered to a subject, a text part and an HTML part."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, FileSystemLoader, StrictUndefined, Template

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
SUBJECT_MAX = 300


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


class Renderer:
    """Renders ``<name>.subject.txt``, ``<name>.txt`` and ``<name>.html`` with one context.

    The HTML environment autoescapes; the text environment does not, because the
    text part is not HTML and must show what the person typed. Undefined
    variables are errors, so a typo fails at enqueue time, not in someone's inbox.
    """

    def __init__(self, template_dirs: Sequence[Path], globals_: Mapping[str, Any]) -> None:
        loader = FileSystemLoader([str(d) for d in template_dirs])
        self._html = _environment(loader, autoescape=True)
        self._text = _environment(loader, autoescape=False)
        for env in (self._html, self._text):
            env.globals.update(globals_)
        self._compiled: dict[str, tuple[Template, Template, Template]] = {}

    def render(self, template: str, context: Mapping[str, Any]) -> RenderedMail:
        subject, text, html = self._templates(template)
        return RenderedMail(
            subject=_one_line(subject.render(context)),
            text=text.render(context),
            html=html.render(context),
        )

    def _templates(self, name: str) -> tuple[Template, Template, Template]:
        """The three compiled templates of a mail, looked up once."""
        found = self._compiled.get(name)
        if found is None:
            found = (
                self._text.get_template(f"{name}.subject.txt"),
                self._text.get_template(f"{name}.txt"),
                self._html.get_template(f"{name}.html"),
            )
            self._compiled[name] = found
        return found


def _environment(loader: BaseLoader, *, autoescape: bool) -> Environment:
    return Environment(
        loader=loader,
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # The templates ship with the code: compiled once, never stat()ed again per mail
        # (a batch renders thousands: the payment run).
        auto_reload=False,
    )


def _one_line(subject: str) -> str:
    # A subject is one header line: no line breaks may reach the header.
    flat = " ".join(subject.split())
    return flat if len(flat) <= SUBJECT_MAX else flat[: SUBJECT_MAX - 1] + "…"
