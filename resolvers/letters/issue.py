"""Issuing a letter: by an adviser of the candidat's agency (``adviser_issue``), or by the
system and other domains (``issue_letter``).

The letter's content is frozen in ``Letter.facts``; the candidat gets a LETTER_RECEIVED
dashboard event (pushed live after commit) and a mail saying that a letter is waiting. The
mail never carries the letter: the candidat signs in to read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.dashboard import EventKind
from models.dossiers import Agency
from models.identity import Account
from models.letters import Letter, LetterKind
from resolvers.core.candidats import (
    agency_address,
    candidat_address,
    candidat_of_agency,
    registered_dossier,
    salutation,
)
from resolvers.core.errors import ErrorCollector
from resolvers.core.pdf import french_date, paris_date
from resolvers.dashboard.events import record_event
from resolvers.identity.fields import notice_addresses
from resolvers.offers.checks import clean_multiline

TITLES = {
    LetterKind.CONVOCATION: "Convocation à un entretien",
    LetterKind.NOTIFICATION_DROITS: "Notification de vos droits",
    LetterKind.AVIS_PAIEMENT: "Avis de paiement",
    LetterKind.DEMANDE_PIECES: "Demande de pièces justificatives",
    LetterKind.CESSATION_INSCRIPTION: "Cessation d'inscription",
}
BODY_MAX = 4000


@dataclass(frozen=True, slots=True)
class LetterText:
    """What a letter says beyond its kind: its paragraphs, and who signs it."""

    paragraphs: tuple[str, ...]
    signature: str = "Votre agence France Travail"


async def issue_letter(
    session: AsyncSession,
    runtime: Runtime,
    account_id: int,
    kind: LetterKind,
    text: LetterText,
    *,
    issued_by: Account | None = None,
) -> Letter:
    """Issue a letter to a candidat (in the caller's transaction): the letter, its event and
    its notice mail commit together or not at all."""
    now = runtime.clock.now()
    dossier = await registered_dossier(session, account_id)
    agency = await session.get(Agency, dossier.agency_id) if dossier and dossier.agency_id else None
    to = candidat_address(dossier) if dossier is not None else None
    sender = agency_address(agency)
    facts: dict[str, Any] = {
        "title": TITLES[kind],
        "issuedOn": paris_date(now).isoformat(),
        "place": agency.name if agency is not None else "",
        "sender": {"name": sender.name, "lines": list(sender.lines)},
        "recipient": {"name": to.name, "lines": list(to.lines)} if to else None,
        "salutation": salutation(dossier),
        "paragraphs": list(text.paragraphs),
        "signature": text.signature,
    }
    letter = Letter(
        account_id=account_id,
        agency_id=agency.id if agency is not None else None,
        issued_by_id=issued_by.id if issued_by is not None else None,
        kind=kind.value,
        title=TITLES[kind],
        facts=facts,
        created_at=now,
    )
    session.add(letter)
    await session.flush()
    await record_event(
        session,
        account_id,
        EventKind.LETTER_RECEIVED,
        {"name": letter.title, "kind": kind.value},
        subject_type="letter",
        subject_id=letter.id,
    )
    account = await session.get(Account, account_id)
    if account is not None:
        await _notify(session, runtime, account, letter, now)
    return letter


async def _notify(
    session: AsyncSession, runtime: Runtime, account: Account, letter: Letter, now: datetime
) -> None:
    for address in await notice_addresses(session, account):
        await runtime.mailer.enqueue(
            session,
            to=address,
            template="letter_received",
            context={
                "identifiant": account.identifiant,
                "title": letter.title,
                "issued_on": french_date(paris_date(now)),
            },
        )


async def adviser_issue(
    session: AsyncSession,
    runtime: Runtime,
    adviser: Account,
    identifiant: str | None,
    kind: LetterKind,
    body: str | None,
) -> Letter:
    """An adviser writes to a candidat of their agency; the body is plain text (blank lines
    separate paragraphs)."""
    account, _dossier = await candidat_of_agency(session, adviser, identifiant)
    errors = ErrorCollector()
    cleaned = clean_multiline(errors, "body", body, label="Texte du courrier", max_len=BODY_MAX)
    errors.raise_if_any()
    assert cleaned is not None
    paragraphs = tuple(p.strip() for p in cleaned.split("\n\n") if p.strip())
    signature = adviser.display_name or "Votre conseiller"
    return await issue_letter(
        session, runtime, account.id, kind, LetterText(paragraphs, signature), issued_by=adviser
    )
