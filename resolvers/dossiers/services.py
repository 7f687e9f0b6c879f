"""What a dossier allows (online applications, offer subscriptions), and what a change of
its contact details would suspend ("Modifier mes coordonnées : les impacts")."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from models.dossiers import Dossier
from resolvers.core.errors import ErrorCode, ErrorCollector, FieldError
from resolvers.core.validation import check_email, check_phone


class Service(StrEnum):
    """A service of the espace personnel that depends on the contact details."""

    ONLINE_APPLICATIONS = "ONLINE_APPLICATIONS"
    OFFER_SUBSCRIPTIONS = "OFFER_SUBSCRIPTIONS"
    EMAIL_CONFIRMATION = "EMAIL_CONFIRMATION"


class Effect(StrEnum):
    SUSPENDED = "SUSPENDED"
    DISABLED = "DISABLED"
    ENABLED = "ENABLED"
    CONFIRMATION_REQUIRED = "CONFIRMATION_REQUIRED"


@dataclass(frozen=True, slots=True)
class Capability:
    allowed: bool
    reason: ErrorCode | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class Capabilities:
    can_apply_online: Capability
    can_subscribe_to_offers: Capability


@dataclass(frozen=True, slots=True)
class Impact:
    service: Service
    effect: Effect
    message: str


@dataclass(frozen=True, slots=True)
class ChangeImpacts:
    impacts: list[Impact]
    errors: list[FieldError]


def apply_online(phone_mobile: str | None, phone_fixe: str | None) -> Capability:
    if phone_mobile or phone_fixe:
        return Capability(True)
    return Capability(
        False,
        ErrorCode.PHONE_REQUIRED,
        "Indiquez un numéro de téléphone pour pouvoir candidater en ligne.",
    )


def subscribe_to_offers(email: str | None, confirmed: bool) -> Capability:
    if email is None:
        return Capability(
            False,
            ErrorCode.NO_EMAIL,
            "Indiquez une adresse électronique pour vous abonner aux offres.",
        )
    if not confirmed:
        return Capability(
            False,
            ErrorCode.EMAIL_NOT_CONFIRMED,
            "Confirmez votre adresse électronique (lien reçu par courriel) pour vous abonner "
            "aux offres.",
        )
    return Capability(True)


def capabilities(dossier: Dossier) -> Capabilities:
    return Capabilities(
        can_apply_online=apply_online(dossier.phone_mobile, dossier.phone_fixe),
        can_subscribe_to_offers=subscribe_to_offers(
            dossier.email, dossier.email_confirmed_at is not None
        ),
    )


def change_impacts(dossier: Dossier, changes: dict[str, str | None]) -> ChangeImpacts:
    """The effects of changing ``email``, ``phone_mobile`` or ``phone_fixe`` (keys present
    are changed, None removes), checked like the form does; nothing is written."""
    errors = ErrorCollector()
    region = dossier.pays
    email, mobile, fixe = dossier.email, dossier.phone_mobile, dossier.phone_fixe
    if "email" in changes:
        email = check_email(errors, "email", changes["email"])
    if "phone_mobile" in changes:
        mobile = check_phone(
            errors, "phoneMobile", changes["phone_mobile"], mobile=True, region=region
        )
    if "phone_fixe" in changes:
        fixe = check_phone(errors, "phoneFixe", changes["phone_fixe"], mobile=False, region=region)
    if errors.errors:
        return ChangeImpacts([], list(errors.errors))
    impacts = _email_impacts(dossier, email) + _phone_impacts(dossier, mobile, fixe)
    return ChangeImpacts(impacts, [])


def _email_impacts(dossier: Dossier, email: str | None) -> list[Impact]:
    if email == dossier.email:
        return []
    now_allowed = subscribe_to_offers(dossier.email, dossier.email_confirmed_at is not None).allowed
    verb = "seront suspendus" if now_allowed else "resteront suspendus"
    if email is None:
        return [
            Impact(
                Service.OFFER_SUBSCRIPTIONS,
                Effect.SUSPENDED,
                f"Les abonnements aux offres {verb} tant que le dossier n'a pas d'adresse "
                "électronique confirmée.",
            )
        ]
    return [
        Impact(
            Service.OFFER_SUBSCRIPTIONS,
            Effect.SUSPENDED,
            f"Les abonnements aux offres {verb} jusqu'à la confirmation de la nouvelle adresse.",
        ),
        Impact(
            Service.EMAIL_CONFIRMATION,
            Effect.CONFIRMATION_REQUIRED,
            f"Un courriel de confirmation sera envoyé à {email} : cliquez sur son lien pour "
            "confirmer la nouvelle adresse.",
        ),
    ]


def _phone_impacts(dossier: Dossier, mobile: str | None, fixe: str | None) -> list[Impact]:
    before = apply_online(dossier.phone_mobile, dossier.phone_fixe).allowed
    after = apply_online(mobile, fixe).allowed
    if before and not after:
        return [
            Impact(
                Service.ONLINE_APPLICATIONS,
                Effect.DISABLED,
                "Les candidatures en ligne ne seront plus possibles sans numéro de téléphone.",
            )
        ]
    if after and not before:
        return [
            Impact(
                Service.ONLINE_APPLICATIONS,
                Effect.ENABLED,
                "Les candidatures en ligne deviendront possibles.",
            )
        ]
    return []
