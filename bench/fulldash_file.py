"""Row builders of ``bench.fulldash_seed`` for « Mon dossier de demandeur d'emploi »: each
candidat's registration, rights, six months of declarations and payments, letters (partly
unread, sometimes asking for documents), supporting documents (some refused) and appointments
(past and upcoming, some to confirm), so the full dashboard's section reads real rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from bench.fulldash_rows import Rows

MONTHS = 6
LETTER_KINDS = ("CONVOCATION", "NOTIFICATION_DROITS", "AVIS_PAIEMENT", "DEMANDE_PIECES")


def _months_back(today: date, n: int) -> date:
    """The first day of the month ``n`` months before ``today``'s."""
    year, month = divmod(today.year * 12 + today.month - 1 - n, 12)
    return date(year, month + 1, 1)


class FileRows(Rows):
    """The unemployment file of one candidat (all through explicit ids, as the rest)."""

    def _unemployment_file(self, account: int, agency: int, n: int) -> None:
        rng = self.rng
        registered = self.now - timedelta(days=rng.randint(240, 400))
        self.add(
            "registrations",
            account_id=account,
            state="INSCRIT",
            registered_on=registered.date(),
            category=1,
            agency_id=agency,
            adviser_id=None,
            email=f"bench{n}.0@example.org",
            updated_at=registered,
        )
        self.add(
            "registration_changes",
            account_id=account,
            state="INSCRIT",
            effective_on=registered.date(),
            reason="SIGN_UP",
            at=registered,
        )
        rate = Decimal(rng.randint(2500, 6000)) / 100
        self.add(
            "indemnisation_rights",
            account_id=account,
            agency_id=agency,
            state="OUVERT",
            kind="ARE",
            daily_net_rate=rate,
            reference_salary_cents=rng.randint(150_000, 300_000),
            start_date=registered.date(),
            days_granted=730,
            days_left=730 - 30 * MONTHS,
            days_deferred=0,
            source="rules",
            opened_by_id=None,
            updated_at=registered,
            created_at=registered,
        )
        # The latest month (whose window is open, or last closed) only for some: while the
        # window is open, the others still have it to do
        latest = (self.now - timedelta(days=28)).date()
        declared = MONTHS if rng.random() < 0.5 else MONTHS - 1
        for back in range(MONTHS, MONTHS - declared, -1):
            self._month(account, n, _months_back(latest, back - 1), rate)
        for _ in range(rng.randint(1, 5)):
            self._letter(account, agency)
        for _ in range(rng.randint(0, 2)):
            self._document(account)
        for _ in range(rng.randint(0, 3)):
            self._appointment(account, agency)

    def _month(self, account: int, n: int, period: date, rate: Decimal) -> None:
        rng = self.rng
        submitted = datetime.combine(period + timedelta(days=30), datetime.min.time())
        submitted = submitted.replace(tzinfo=self.now.tzinfo) + timedelta(hours=rng.randint(8, 20))
        self.add(
            "actualisations",
            account_id=account,
            period=period,
            number=f"B{n:07d}{period:%Y%m}",
            version=1,
            answers={"stillLooking": True, "worked": False, "employers": []},
            first_submitted_at=submitted,
            submitted_at=submitted,
        )
        paid_on = submitted.date() + timedelta(days=3)
        if submitted + timedelta(days=3) > self.now:
            return  # not paid yet
        amount = int(rate * 30 * 100)
        self.add(
            "indemnisation_payments",
            account_id=account,
            key=f"rules:{period:%Y-%m}",
            source="rules",
            status="PAID",
            period=period,
            paid_on=paid_on,
            made_at=submitted + timedelta(days=3),
            amount_cents=amount,
            allocations_cents=amount,
            aides_cents=0,
            autres_cents=0,
            daily_net_rate=rate,
            days_paid=30,
            bank_account_masked="FR76 •••• •••• •••• 0143",
            created_at=submitted,
        )

    def _letter(self, account: int, agency: int) -> None:
        rng = self.rng
        kind = rng.choice(LETTER_KINDS)
        created = self.ago(0, 180)
        self.add(
            "letters",
            account_id=account,
            agency_id=agency,
            issued_by_id=None,
            kind=kind,
            title=kind.replace("_", " ").capitalize(),
            facts={"title": kind, "paragraphs": ["Courrier fictif du banc d'essai."]},
            read_at=None if rng.random() < 0.4 else created + timedelta(days=1),
            created_at=created,
        )

    def _document(self, account: int) -> None:
        rng = self.rng
        refused = rng.random() < 0.3
        created = self.ago(0, 90)
        self.add(
            "supporting_documents",
            account_id=account,
            period=_months_back(created.date(), 0),
            code=rng.choice(["BDS", "AEMP", "AAT"]),
            storage_key=f"bench/{account}/{self.ids.last.get('supporting_documents', 0) + 1}",
            name="justificatif.pdf",
            content_type="application/pdf",
            size=12_345,
            status="REFUSED" if refused else "ACCEPTED",
            reason="Document illisible." if refused else None,
            decided_by=None,
            decided_at=created + timedelta(days=1),
            created_at=created,
        )

    def _appointment(self, account: int, agency: int) -> None:
        rng = self.rng
        starts = self.now + timedelta(days=rng.uniform(-60, 30))
        starts = starts.replace(minute=0, second=0, microsecond=0)
        status = rng.choice(["SCHEDULED", "CONFIRMED", "CONFIRMED", "CANCELLED"])
        self.add(
            "appointments",
            account_id=account,
            agency_id=agency,
            adviser_id=None,
            adviser_name="Conseiller fictif",
            theme="Point sur votre recherche d'emploi",
            starts_at=starts,
            duration_minutes=30,
            modality="TELEPHONE",
            status=status,
            updated_at=starts - timedelta(days=7),
            created_at=starts - timedelta(days=7),
        )


def file_tables() -> tuple[str, ...]:
    """The file's tables, parents first (after accounts and agencies)."""
    return (
        "registrations",
        "registration_changes",
        "indemnisation_rights",
        "actualisations",
        "indemnisation_payments",
        "letters",
        "supporting_documents",
        "appointments",
    )
