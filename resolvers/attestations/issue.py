"""Issuing an attestation: its facts (from the kind's source), frozen with a random
verification code; and finding one by its code for the public verification page."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.attestations import Attestation, AttestationKind
from models.identity import Account, AccountKind
from resolvers.attestations.sources import Request, sources_for
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.owners import owned_by
from resolvers.core.pdf import paris_date

TITLES = {
    AttestationKind.SITUATION: "Attestation de situation",
    AttestationKind.HISTORIQUE_INSCRIPTIONS: "Historique des inscriptions",
    AttestationKind.PERIODES_INDEMNISEES: "Attestation des périodes indemnisées",
    AttestationKind.FISCALE: "Attestation fiscale",
    AttestationKind.DERNIER_PAIEMENT: "Attestation de dernier paiement",
    AttestationKind.CAISSE_RETRAITE: "Attestation pour la caisse de retraite",
}
# Crockford's base 32 (no I, L, O, U): 12 characters, 60 random bits.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
VERIFY_PATH = "/attestations/verifier/{code}"
_NOT_CODE = re.compile(r"[^0-9A-Z]")
MAX_ID = 2**63 - 1


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(text: str) -> str | None:
    """The code as stored, from what a person typed (any case, with or without dashes)."""
    raw = _NOT_CODE.sub("", text.upper()[:40])
    raw = raw.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(raw) != CODE_LENGTH:
        return None
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


async def request_attestation(
    session: AsyncSession,
    runtime: Runtime,
    account: Account,
    kind: AttestationKind,
    year: int | None,
) -> Attestation:
    """The candidat asks for an attestation; its facts are computed now and frozen."""
    if account.kind != AccountKind.CANDIDAT:
        raise DomainError.single(
            None, ErrorCode.WRONG_ACCOUNT_KIND, "Seuls les candidats demandent des attestations."
        )
    now = runtime.clock.now()
    facts = await sources_for(runtime).facts(session, account, Request(kind, year, now))
    row = Attestation(
        account_id=account.id,
        kind=kind.value,
        code=new_code(),
        facts={
            "title": TITLES[kind],
            "issuedOn": paris_date(now).isoformat(),
            "holder": facts.holder,
            "statement": facts.statement,
            "rows": [list(r) for r in facts.rows],
            "public": [list(r) for r in facts.public],
        },
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def by_code(session: AsyncSession, text: str) -> Attestation | None:
    code = normalise_code(text)
    if code is None:
        return None
    found: Attestation | None = await session.scalar(
        select(Attestation).where(Attestation.code == code)
    )
    return found


def attestations_select(account_id: int) -> Select[Attestation]:
    """The candidat's attestations (keyset-paged by id, newest first)."""
    return select(Attestation).where(owned_by(Attestation, account_id))


async def attestations_by_ids(
    session: AsyncSession, account_id: int, ids: Sequence[int]
) -> dict[int, Attestation]:
    if not ids:
        return {}
    rows = await session.scalars(
        select(Attestation).where(Attestation.id.in_(ids), owned_by(Attestation, account_id))
    )
    return {row.id: row for row in rows.all()}
