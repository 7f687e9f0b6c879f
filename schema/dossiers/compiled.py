"""How the dossier types map to tables, for the compiled reads (``schema.core.compiled``).

Capabilities are the rules of ``resolvers.dossiers.services`` in SQL, with the same
messages; phones and communes are computed in Python by the post-pass."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, or_

from models.dossiers import Agency, Dossier
from resolvers.core.errors import ErrorCode
from resolvers.dossiers.services import apply_online, subscribe_to_offers
from schema.alerts.compiled import DOSSIER_ALERTS
from schema.classeur.compiled import DOSSIER_SAVED_SEARCHES
from schema.core.compiled.declare import Computed, Embedded, NodeId, Table, ToOne, Value
from schema.core.phone import PhoneNumber
from schema.cvs.compiled import DOSSIER_CVS
from schema.reference.schema import Commune

NO_PHONE = apply_online(None, None).message
NO_EMAIL = subscribe_to_offers(None, False).message
NOT_CONFIRMED = subscribe_to_offers("-", False).message


def _filled(column: Any) -> ColumnElement[bool]:
    return and_(column.is_not(None), column != "")


def _has_phone(t: Any) -> ColumnElement[bool]:
    return or_(_filled(t.phone_mobile), _filled(t.phone_fixe))


def _capability(allowed: Any, reasons: list[tuple[Any, ErrorCode, str | None]]) -> Embedded:
    """allowed, reason and message; ``reasons`` in the order the service checks them."""
    return Embedded(
        {
            "allowed": Value(allowed),
            "reason": Value(lambda t: case(*[(w(t), r.value) for w, r, _m in reasons])),
            "message": Value(lambda t: case(*[(w(t), m) for w, _r, m in reasons])),
        }
    )


CAPABILITIES = Embedded(
    {
        "canApplyOnline": _capability(
            _has_phone, [(lambda t: ~_has_phone(t), ErrorCode.PHONE_REQUIRED, NO_PHONE)]
        ),
        "canSubscribeToOffers": _capability(
            lambda t: and_(t.email.is_not(None), t.email_confirmed_at.is_not(None)),
            [
                (lambda t: t.email.is_(None), ErrorCode.NO_EMAIL, NO_EMAIL),
                (
                    lambda t: t.email_confirmed_at.is_(None),
                    ErrorCode.EMAIL_NOT_CONFIRMED,
                    NOT_CONFIRMED,
                ),
            ],
        ),
    }
)


def _phone(_runtime: Any, e164: str | None) -> PhoneNumber | None:
    return PhoneNumber.from_e164(e164)


def _commune(runtime: Any, insee: str | None, postal_code: str) -> Commune | None:
    found = runtime.refdata.commune(insee, postal_code) if insee is not None else None
    return Commune.from_data(found) if found else None


def _column(name: str) -> Value:
    return Value(lambda t: getattr(t, name))


DOSSIER = Table(
    Dossier,
    {
        "id": NodeId(),
        **{f: _column(f) for f in ("name", "civilite", "nom", "prenom", "pays", "adresse")},
        "complementAdresse1": _column("complement1"),
        "complementAdresse2": _column("complement2"),
        "postalCode": _column("postal_code"),
        "communeName": _column("commune_name"),
        "acheminement": _column("acheminement"),
        "email": _column("email"),
        "emailConfirmed": Value(
            lambda t: and_(t.email.is_not(None), t.email_confirmed_at.is_not(None))
        ),
        "inscritPoleEmploi": _column("registered"),
        "identifiantPoleEmploi": _column("registered_identifiant"),
        "birthDate": _column("birth_date"),
        "situation": _column("situation"),
        "qualification": _column("qualification"),
        "emailConfirmedAt": _column("email_confirmed_at"),
        "createdAt": _column("created_at"),
        "updatedAt": _column("updated_at"),
        "agency": ToOne(lambda t: t.agency_id),
        "alerts": DOSSIER_ALERTS,
        "cvs": DOSSIER_CVS,
        "savedSearches": DOSSIER_SAVED_SEARCHES,
        "capabilities": CAPABILITIES,
        "phoneMobile": Computed((lambda t: t.phone_mobile,), _phone),
        "phoneFixe": Computed((lambda t: t.phone_fixe,), _phone),
        "commune": Computed((lambda t: t.commune_insee, lambda t: t.postal_code), _commune),
    },
)

AGENCY = Table(
    Agency,
    {
        "id": NodeId(),
        "code": _column("code"),
        "name": _column("name"),
        "address": _column("address"),
        "postalCode": _column("postal_code"),
        "commune": Computed((lambda t: t.commune_insee, lambda t: t.postal_code), _commune),
    },
    owned=False,  # agencies are public: any dossier may show its own
)

TABLES = {"Dossier": DOSSIER, "Agency": AGENCY}
