"""How an export maps tables to the archive, declared: which rows of a table are the
account's (``Owned``, ``Via``, ``Addressed``), which of its columns are left out and why,
and which files go with its rows (``StoredFile``, ``RenderedFile``).

A new table is one ``TablePart`` in ``resolvers.data_export.parts`` (or one line with its
reason in ``resolvers.data_export.excluded``); ``tests/data_export/test_coverage.py`` fails
until it is either.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ground.settings import Settings


@dataclass(frozen=True, slots=True)
class Owned:
    """The rows whose ``column`` holds the account's id."""

    column: str


@dataclass(frozen=True, slots=True)
class Via:
    """The rows whose ``column`` refers to a row (by id) of ``parent``, itself exported."""

    column: str
    parent: str


@dataclass(frozen=True, slots=True)
class Addressed:
    """The rows sent to one of the account's e-mail addresses (the outbox has no foreign
    key); rows of ``skip_templates`` are left out."""

    column: str
    skip_templates: tuple[str, ...] = ()


Owner = Owned | Via | Addressed


@dataclass(frozen=True, slots=True)
class ExportContext:
    """What renderers may read besides the row."""

    settings: Settings
    identifiant: str | None


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file kept in the file storage: its key and name are columns of the row."""

    folder: str
    key: str
    name: str


# A row (its columns by name) -> (file name, bytes), or None when it has no file.
Render = Callable[[Mapping[str, Any], ExportContext], tuple[str, bytes] | None]


@dataclass(frozen=True, slots=True)
class RenderedFile:
    """A file built from the row (a letter's or an attestation's PDF, a mail)."""

    folder: str
    render: Render


@dataclass(frozen=True, slots=True)
class TablePart:
    """One table of a domain's JSON document."""

    table: str
    owner: Owner
    about: str  # French: what one row is
    omit: Mapping[str, str] = field(default_factory=dict)  # column -> why it is left out
    files: StoredFile | RenderedFile | None = None
    fields: Mapping[str, str] = field(default_factory=dict)  # French, beyond the glossary


@dataclass(frozen=True, slots=True)
class Domain:
    """One JSON document of the archive (``donnees/<file>``)."""

    file: str
    title: str
    tables: tuple[TablePart, ...]


# Left out of every table: secrets and internal keys that tell the person nothing.
OMITTED_EVERYWHERE: dict[str, str] = {
    "password_hash": "empreinte du mot de passe : un secret, jamais communiqué",
    "secret_answer_hash": "empreinte de la réponse secrète : un secret, jamais communiqué",
    "token_hash": "empreinte d'un jeton de connexion ou de lien : un secret",
    "confirm_hash": "empreinte du jeton de confirmation : un secret",
    "report_hash": "empreinte du jeton de signalement : un secret",
    "unsubscribe_salt": "sel du lien de désabonnement : un secret",
    "file_key": "clé interne du stockage ; le fichier lui-même est dans l'archive",
    "storage_key": "clé interne du stockage ; le fichier lui-même est dans l'archive",
    "archive_key": "clé interne du stockage de l'archive",
    "search_text": "texte d'indexation dérivé des autres champs du CV",
    "claimed_until": "verrou technique du traitement en arrière-plan",
}
