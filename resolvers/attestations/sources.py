"""Where an attestation's facts come from: one source per kind, behind a small interface.

A source reads what it needs and returns ``Facts`` (what the PDF prints, and the subset the
public verification page confirms), or raises ATTESTATION_UNAVAILABLE. The registration
history and the payments live in other domains (issue 13's registration and allowance
parts): they plug in with ``Sources.register`` (payments through ``PaymentSource``), and
until then the kinds that need them answer ATTESTATION_UNAVAILABLE or, for the fiscal
attestation, the payments the source knows (none).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.attestations import AttestationKind
from models.dossiers import Agency
from models.identity import Account
from resolvers.core.candidats import registered_dossier
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.pdf import french_date, paris_date


@dataclass(frozen=True, slots=True)
class Request:
    """What the candidat asked for: the kind, and a calendar year where one applies."""

    kind: AttestationKind
    year: int | None
    now: datetime


@dataclass(frozen=True, slots=True)
class Facts:
    """An attestation's content: ``rows`` on the PDF; ``public`` on the verification page
    (never more than the PDF shows)."""

    holder: str
    rows: tuple[tuple[str, str], ...]
    public: tuple[tuple[str, str], ...]
    statement: str


@dataclass(frozen=True, slots=True)
class Payment:
    """One allowance payment, as the allowance domain records it."""

    paid_on: date
    net_cents: int
    period_start: date
    period_end: date


class PaymentSource(Protocol):
    async def __call__(self, session: AsyncSession, account_id: int) -> Sequence[Payment]: ...


async def no_payments(session: AsyncSession, account_id: int) -> Sequence[Payment]:
    """The payment source until the allowance domain is plugged in: none recorded."""
    return ()


Source = Callable[[AsyncSession, Account, Request], Awaitable[Facts]]


def unavailable(message: str) -> DomainError:
    return DomainError.single("kind", ErrorCode.ATTESTATION_UNAVAILABLE, message)


def euros(cents: int) -> str:
    """French amount: « 1 234,56 € » (no-break spaces)."""
    whole, rest = divmod(abs(cents), 100)
    grouped = f"{whole:,}".replace(",", "\u00a0")
    return f"{'-' if cents < 0 else ''}{grouped},{rest:02d}\u00a0€"


def public_name(prenom: str, nom: str) -> str:
    """« A. LE GOFF »: enough to match the document, not a full identity."""
    return f"{prenom[:1].upper()}. {nom.upper()}" if prenom else nom.upper()


async def _holder(session: AsyncSession, account: Account) -> tuple[str, str, Agency | None]:
    dossier = await registered_dossier(session, account.id)
    if dossier is None:
        raise unavailable(
            "Aucun dossier inscrit à une agence : l'attestation ne peut pas être établie."
        )
    agency = await session.get(Agency, dossier.agency_id) if dossier.agency_id else None
    full = f"{dossier.prenom} {dossier.nom.upper()}"
    return full, public_name(dossier.prenom, dossier.nom), agency


async def situation(session: AsyncSession, account: Account, request: Request) -> Facts:
    """Attestation de situation: registered as a job seeker at an agency, today."""
    full, public, agency = await _holder(session, account)
    today = french_date(paris_date(request.now))
    agency_name = agency.name if agency is not None else "France Travail"
    rows = (
        ("Nom", full),
        ("Identifiant", account.identifiant or ""),
        ("Agence", agency_name),
        ("Situation au " + today, "Inscrit(e) comme demandeur d'emploi"),
    )
    public_rows = (("Titulaire", public), ("Situation au " + today, rows[3][1]))
    statement = (
        f"France Travail atteste que {full} est inscrit(e) comme demandeur d'emploi auprès "
        f"de {agency_name} à la date du {today}."
    )
    return Facts(full, rows, public_rows, statement)


def fiscal(payments: PaymentSource) -> Source:
    """Attestation fiscale: the total paid in a calendar year (last year by default)."""

    async def build(session: AsyncSession, account: Account, request: Request) -> Facts:
        full, public, _ = await _holder(session, account)
        this_year = paris_date(request.now).year
        year = request.year or this_year - 1
        if not 1990 <= year <= this_year:
            raise DomainError.single("year", ErrorCode.OUT_OF_RANGE, "Année invalide.")
        paid = [p for p in await payments(session, account.id) if p.paid_on.year == year]
        total = euros(sum(p.net_cents for p in paid))
        rows = (
            ("Nom", full),
            ("Identifiant", account.identifiant or ""),
            ("Année", str(year)),
            ("Nombre de versements", str(len(paid))),
            (f"Total versé en {year}", total),
        )
        public_rows = (("Titulaire", public), ("Année", str(year)), (rows[4][0], total))
        statement = (
            f"France Travail atteste avoir versé à {full} la somme de {total} au titre de "
            f"l'année {year}, à déclarer à l'administration fiscale."
        )
        return Facts(full, rows, public_rows, statement)

    return build


def last_payment(payments: PaymentSource) -> Source:
    """Attestation de dernier paiement."""

    async def build(session: AsyncSession, account: Account, request: Request) -> Facts:
        full, public, _ = await _holder(session, account)
        paid = sorted(await payments(session, account.id), key=lambda p: p.paid_on)
        if not paid:
            raise unavailable("Aucun paiement n'a encore été effectué sur votre dossier.")
        last = paid[-1]
        period = f"du {last.period_start:%d/%m/%Y} au {last.period_end:%d/%m/%Y}"
        rows = (
            ("Nom", full),
            ("Identifiant", account.identifiant or ""),
            ("Date du paiement", f"{last.paid_on:%d/%m/%Y}"),
            ("Période", period),
            ("Montant net", euros(last.net_cents)),
        )
        public_rows = (("Titulaire", public), rows[2], rows[4])
        statement = (
            f"France Travail atteste avoir versé le {last.paid_on:%d/%m/%Y} à {full} la somme "
            f"de {euros(last.net_cents)} net pour la période {period}."
        )
        return Facts(full, rows, public_rows, statement)

    return build


MAX_PERIODS = 120
"""An attestation of paid periods lists the latest 120 (ten years of monthly payments)."""
HOLDER_ROWS = 2
"""The rows before the periods: the name and the identifiant."""


def paid_periods(payments: PaymentSource, pension_fund: bool) -> Source:
    """Périodes indemnisées, or the same periods for a pension fund (caisse de retraite):
    each paid period with its amount, oldest first (the latest ``MAX_PERIODS``)."""

    async def build(session: AsyncSession, account: Account, request: Request) -> Facts:
        full, public, _ = await _holder(session, account)
        paid = sorted(await payments(session, account.id), key=lambda p: p.period_start)
        paid = paid[-MAX_PERIODS:]
        if not paid:
            raise unavailable("Aucune période n'a encore été indemnisée sur votre dossier.")
        periods = tuple(
            (
                f"Du {p.period_start:%d/%m/%Y} au {p.period_end:%d/%m/%Y}",
                f"{(p.period_end - p.period_start).days + 1} jours, {euros(p.net_cents)}",
            )
            for p in paid
        )
        first, last = paid[0].period_start, paid[-1].period_end
        span = f"du {first:%d/%m/%Y} au {last:%d/%m/%Y}"
        rows = (("Nom", full), ("Identifiant", account.identifiant or ""), *periods)
        public_rows = (("Titulaire", public), ("Périodes indemnisées", span))
        purpose = " Elle est destinée à votre caisse de retraite." if pension_fund else ""
        statement = (
            f"France Travail atteste avoir indemnisé {full} au titre du chômage sur les "
            f"périodes ci-dessous ({span}).{purpose}"
        )
        return Facts(full, rows, public_rows, statement)

    return build


@dataclass
class Sources:
    """The source of each kind; ``register`` plugs another domain's."""

    by_kind: dict[AttestationKind, Source] = field(default_factory=dict)

    def register(self, kind: AttestationKind, source: Source) -> None:
        self.by_kind[kind] = source

    async def facts(self, session: AsyncSession, account: Account, request: Request) -> Facts:
        source = self.by_kind.get(request.kind)
        if source is None:
            raise unavailable(
                "Cette attestation n'est pas encore disponible en ligne : demandez-la à "
                "votre agence."
            )
        return await source(session, account, request)


def payment_sources(sources: Sources, payments: PaymentSource) -> None:
    """Plug the allowance domain's payments into every kind that reads them."""
    sources.register(AttestationKind.FISCALE, fiscal(payments))
    sources.register(AttestationKind.DERNIER_PAIEMENT, last_payment(payments))
    sources.register(AttestationKind.PERIODES_INDEMNISEES, paid_periods(payments, False))
    sources.register(AttestationKind.CAISSE_RETRAITE, paid_periods(payments, True))


def default_sources(payments: PaymentSource = no_payments) -> Sources:
    """The kinds this branch computes (the others are plugged in by their domains)."""
    sources = Sources()
    sources.register(AttestationKind.SITUATION, situation)
    payment_sources(sources, payments)
    return sources


def sources_for(runtime: Runtime) -> Sources:
    """The runtime's sources (created with the defaults on first use)."""
    found = runtime.plugins.get("attestations")
    if not isinstance(found, Sources):
        found = default_sources()
        runtime.plugins["attestations"] = found
    return found


async def holder(session: AsyncSession, account: Account) -> tuple[str, str]:
    """The holder's full name (for the PDF) and public name (for the verification page), for
    the sources other domains plug in; ATTESTATION_UNAVAILABLE without a registered dossier."""
    full, public, _ = await _holder(session, account)
    return full, public
