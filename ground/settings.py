"""The one typed settings object, read from ``ESPACE_*`` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "change-me-dev-only-secret-key"


class Settings(BaseSettings):
    """Every knob of the product. Passed around explicitly, never imported as a global."""

    model_config = SettingsConfigDict(env_prefix="ESPACE_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///var/espace.sqlite3"
    public_url: str = "http://127.0.0.1:8000"
    secret_key: str = DEFAULT_SECRET_KEY
    debug: bool = False
    demo: bool = False

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_timeout: float = 10.0
    mail_from: str = "Espace Candidat <ne-pas-repondre@espace-candidat.example>"

    outbox_poll_interval: float = 2.0
    outbox_batch_size: int = 20
    outbox_max_attempts: int = 12
    outbox_backoff_base: float = 2.0
    outbox_backoff_cap: float = 900.0
    outbox_enabled: bool = True
    outbox_lease_seconds: float = 30.0  # a claimed batch's lease, renewed while it is sent
    # A sent mail's links keep their tokens in the outbox? None: only with ESPACE_DEBUG or
    # ESPACE_DEMO (/dev/mails shows working links); otherwise they are removed once sent.
    outbox_keep_link_tokens: bool | None = None

    redis_url: str | None = None
    redis_prefix: str = "espace:"

    apq_cache_size: int = 1000  # automatic persisted queries kept in memory (without Redis)
    apq_redis_ttl_seconds: int = 7 * 24 * 3600
    trusted_documents: bool = False  # run only the documents of trusted_documents_dir
    trusted_documents_dir: Path = Path(__file__).resolve().parent.parent / "graphql" / "operations"

    # None: on with ESPACE_DEBUG or ESPACE_DEMO, off otherwise (see the ``*_enabled`` below).
    introspection: bool | None = None
    graphiql: bool | None = None
    max_depth: int = 12  # Relay lists take two levels: viewer.dossiers…alerts…matches…offer is 12
    max_aliases: int = 15
    max_tokens: int = 2000
    max_body_bytes: int = 1024 * 1024
    max_page_size: int = 100
    max_cost: int = 20000
    max_response_bytes: int = 5 * 1024 * 1024
    # Reads the compiler covers run as one SQL statement building the JSON (schema.core.compiled)
    compiled_reads: bool = True
    request_timeout: float = 10.0  # seconds; 0 turns the deadline off
    max_requests_in_flight: int = 100  # per process, HTTP; past it: 503 OVERLOADED
    db_pool_timeout: float = 5.0  # seconds to wait for a pooled connection; then 503
    db_statement_timeout: float = 10.0  # seconds, PostgreSQL statement_timeout; 0: none
    sqlite_busy_timeout: float = 5.0  # seconds a SQLite writer waits for the write lock

    session_idle_minutes: int = 120
    session_absolute_hours: int = 12
    # Seconds a bearer token's session check is served from the process's memory (0: off);
    # sign-out, revocation and account changes drop it at once, in every process.
    session_cache_seconds: float = 5.0

    login_delay_after_failures: int = 5
    login_max_failures_per_hour: int = 10
    login_client_limit: str = "30/minute;300/hour"  # sign-in attempts per client address
    login_global_limit: str = "6000/minute"  # sign-in attempts of all clients together
    trusted_proxies: list[str] = []  # addresses/networks whose X-Forwarded-For is believed
    secret_question_recovery: bool = True
    secret_answer_max_failures: int = 3
    secret_answer_lock_hours: int = 24
    password_reset_minutes: int = 30
    email_confirmation_days: int = 7
    email_resend_per_hour: int = 3
    proposals_per_day: int = 50

    timezone: str = "Europe/Paris"  # for the hours below
    alert_digest_hour: int = Field(default=7, ge=0, le=23)
    alert_digest_weekday: int = Field(default=0, ge=0, le=6)  # 0 = Monday
    scheduler_enabled: bool = True
    # Indemnisation: a new bank account takes effect this long after the change (fraud delay).
    bank_change_delay_hours: float = Field(default=72, ge=0, le=24 * 60)
    scheduler_interval_seconds: float = 60.0
    # Access log (issue 14 §5). Kept 1 year: the CNIL's recommendation on logging
    # (délibération n° 2021-122 du 14 octobre 2021) advises 6 months to 1 year; RGPD
    # art. 5.1.e (storage limitation) forbids keeping it longer without a reason.
    access_log_retention_days: int = Field(default=365, ge=1, le=3 * 365)
    # Repeated views of one object by one account within this window are logged once.
    access_log_dedup_minutes: int = Field(default=10, ge=0, le=24 * 60)

    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19 * 1024
    argon2_parallelism: int = 1

    allowed_origins: list[str] = []
    ws_init_timeout: float = 3.0
    ws_ping_interval: float = 12.0
    ws_max_subscriptions: int = 20
    ws_session_recheck_seconds: float = 30.0

    log_format: Literal["json", "console"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    metrics_enabled: bool = True
    metrics_token: str | None = None  # when set, /metrics wants "Authorization: Bearer <it>"
    readiness_timeout: float = 2.0  # seconds each /readyz check may take
    agenda_reminder_hours: int = Field(default=48, ge=1, le=24 * 14)
    agenda_change_notice_hours: int = Field(default=24, ge=0, le=24 * 14)

    # Erasure (RGPD art. 17) and retention (art. 5.1.e); sources in resolvers/erasure/retention.py.
    erasure_grace_days: int = Field(default=7, ge=0, le=60)
    inactive_account_days: int = Field(default=730, ge=30)  # CNIL délibération 2019-160
    inactive_notice_days: int = Field(default=30, ge=1, le=365)  # notice before that
    refused_application_days: int = Field(default=730, ge=1)  # CNIL délibération 2019-160
    expired_offer_links_days: int = Field(default=730, ge=1)  # CNIL délibération 2019-160
    erased_payments_years: int = Field(default=10, ge=3)  # C. com. L123-22, C. trav. L5422-5
    # Data exports (RGPD art. 15 and 20): the download link's life, requests per rolling
    # day, and the background worker (every process runs it; a request is claimed once).
    data_export_link_days: float = Field(default=7, gt=0, le=30)
    data_export_daily_limit: int = Field(default=3, ge=1, le=50)
    data_export_worker_enabled: bool = True
    data_export_poll_seconds: float = Field(default=5.0, gt=0)
    data_export_lease_seconds: float = Field(default=600.0, gt=0)
    data_export_max_attempts: int = Field(default=3, ge=1, le=10)

    upload_dir: Path = Path("var/uploads")
    max_upload_bytes: int = 2 * 1024 * 1024

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if not self.debug and not self.demo and self.secret_key == DEFAULT_SECRET_KEY:
            raise ValueError(
                "ESPACE_SECRET_KEY must be set to a random value when ESPACE_DEBUG is off"
            )
        return self

    def for_batch(self) -> Settings:
        """The settings of a command-line batch (import, export, expiry): no statement
        timeout, and writers wait longer for SQLite's lock."""
        return self.model_copy(update={"db_statement_timeout": 0.0, "sqlite_busy_timeout": 30.0})

    @property
    def introspection_enabled(self) -> bool:
        """Introspection: ESPACE_INTROSPECTION, else on only in debug and demo."""
        return self.introspection if self.introspection is not None else self.debug or self.demo

    @property
    def outbox_keeps_link_tokens(self) -> bool:
        """ESPACE_OUTBOX_KEEP_LINK_TOKENS, else only in debug and demo."""
        keep = self.outbox_keep_link_tokens
        return keep if keep is not None else self.debug or self.demo

    @property
    def graphiql_enabled(self) -> bool:
        """GraphiQL: ESPACE_GRAPHIQL, else on only in debug and demo."""
        return self.graphiql if self.graphiql is not None else self.debug or self.demo

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def link(self, path: str) -> str:
        """An absolute link for mails, built on the public URL."""
        return self.public_url.rstrip("/") + "/" + path.lstrip("/")
