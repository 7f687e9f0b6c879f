"""Mail templates: French Jinja2 files rendered to a subject, a text part and an HTML part."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, FileSystemLoader, StrictUndefined

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

    def render(self, template: str, context: Mapping[str, Any]) -> RenderedMail:
        subject = self._text.get_template(f"{template}.subject.txt").render(context)
        return RenderedMail(
            subject=_one_line(subject),
            text=self._text.get_template(f"{template}.txt").render(context),
            html=self._html.get_template(f"{template}.html").render(context),
        )


def _environment(loader: BaseLoader, *, autoescape: bool) -> Environment:
    return Environment(
        loader=loader,
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _one_line(subject: str) -> str:
    # A subject is one header line: no line breaks may reach the header.
    flat = " ".join(subject.split())
    return flat if len(flat) <= SUBJECT_MAX else flat[: SUBJECT_MAX - 1] + "…"
