"""What a password must be: 12 to 256 characters, not common, not made of personal data,
and hard enough to guess (``resolvers.identity.password_strength``: zxcvbn with French words).

No composition rules (CNIL deliberation 2022-100, OWASP ASVS 5 V6.2): length is
what counts, so any character is allowed, spaces included, and passphrases are
welcome. The upper bound (256) only protects the server; it is well above the 64
that ASVS asks to accept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.dossiers import Dossier
from models.identity import Account
from refdata import normalize
from resolvers.core.errors import ErrorCode, FieldError
from resolvers.identity.password_strength import weak_password, weakness

MIN_LENGTH = 12
MAX_LENGTH = 256
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "data" / "common-passwords.txt"
# A personal word shorter than this is too likely to appear by chance.
MIN_WORD = 4
MIN_FIELD = 3

_NOT_ALNUM = re.compile(r"[\W_]+")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list (see resolvers/identity/data/README.md), lowercase."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line)


def squash(text: str) -> str:
    """Lowercase, no accents, letters and digits only: "Jean-Pierre" -> "jeanpierre"."""
    return _NOT_ALNUM.sub("", normalize(text))


def date_forms(day: date) -> list[str]:
    """A date as people put it in passwords (separators are squashed away anyway)."""
    d, m, y = f"{day.day:02d}", f"{day.month:02d}", f"{day.year:04d}"
    return [d + m + y, d + m + y[2:], y + m + d, m + d + y]


def personal_words(
    *,
    identifiants: Iterable[str | None] = (),
    postal_codes: Iterable[str | None] = (),
    names: Iterable[str | None] = (),
    emails: Iterable[str | None] = (),
    birth_dates: Iterable[date | None] = (),
) -> set[str]:
    """Squashed words that must not appear in a password of this person."""
    words: set[str] = set()
    for ident in filter(None, identifiants):
        words.update({squash(ident), squash(ident[:7])})
    words.update(squash(code) for code in filter(None, postal_codes))
    for name in filter(None, names):
        whole = squash(name)
        if len(whole) >= MIN_FIELD:
            words.add(whole)
        words.update(w for w in map(squash, re.split(r"[\s\-'’.]+", name)) if len(w) >= MIN_WORD)
    for email in filter(None, emails):
        local = email.split("@", 1)[0]
        words.update(w for w in (squash(local), squash(email)) if len(w) >= MIN_FIELD)
        words.update(w for w in map(squash, re.split(r"[._\-+]+", local)) if len(w) >= MIN_WORD)
    for day in filter(None, birth_dates):
        words.update(date_forms(day))
    words.discard("")
    return words


async def account_personal_words(session: AsyncSession, account: Account) -> set[str]:
    """The account's own data and that of its dossiers (names, birth dates, addresses)."""
    dossiers = (
        await session.execute(
            select(
                Dossier.nom, Dossier.prenom, Dossier.birth_date, Dossier.email, Dossier.postal_code
            ).where(Dossier.account_id == account.id)
        )
    ).all()
    return personal_words(
        identifiants=[account.identifiant],
        postal_codes=[account.postal_code, *(d.postal_code for d in dossiers)],
        names=[account.display_name, *(n for d in dossiers for n in (d.nom, d.prenom))],
        emails=[account.email, *(d.email for d in dossiers)],
        birth_dates=[d.birth_date for d in dossiers],
    )


def password_error(
    password: str, personal: Iterable[str] = (), field: str = "password"
) -> FieldError | None:
    """The first rule ``password`` breaks, or None."""
    if not password.strip():
        return FieldError(field, ErrorCode.REQUIRED, "Choisissez un mot de passe.")
    if len(password) < MIN_LENGTH:
        return FieldError(
            field,
            ErrorCode.PASSWORD_TOO_SHORT,
            f"Le mot de passe doit contenir au moins {MIN_LENGTH} caractères.",
        )
    if len(password) > MAX_LENGTH:
        return FieldError(
            field,
            ErrorCode.PASSWORD_TOO_LONG,
            f"Le mot de passe ne doit pas dépasser {MAX_LENGTH} caractères.",
        )
    folded = password.strip().casefold()
    if folded in common_passwords() or len(set(folded)) < 3:
        return FieldError(
            field,
            ErrorCode.PASSWORD_TOO_COMMON,
            "Ce mot de passe est trop courant : choisissez-en un autre, "
            "par exemple une phrase de plusieurs mots.",
        )
    squashed = squash(password)
    if any(word in squashed for word in personal):
        return FieldError(
            field,
            ErrorCode.PASSWORD_CONTAINS_PERSONAL_DATA,
            "Le mot de passe ne doit pas contenir vos informations personnelles "
            "(identifiant, nom, prénom, date de naissance, code postal, adresse e-mail).",
        )
    if (reason := weakness(password, personal)) is not None:
        return weak_password(field, reason)
    return None
