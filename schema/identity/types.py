"""Inputs and payloads of the identity mutations: sign-up, sign-in, sessions, credentials."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.core.base import UserError
from schema.viewer.schema import Viewer

PASSWORD_RULES = "12 to 256 characters, any characters; not a common password, no personal data."


@strawberry.input(description="Create a candidat account; its identifiant is generated.")
class CandidateSignUpInput:
    password: str = strawberry.field(description=PASSWORD_RULES)
    postal_code: str = strawberry.field(
        description="Home postal code (a French one); it is asked again at each sign-in."
    )
    email: str | None = strawberry.field(
        default=None, description="Optional: the identifiant is mailed to this address."
    )


@strawberry.type(description="The result of a candidat sign-up.")
class CandidateSignUpPayload:
    identifiant: str | None = strawberry.field(
        description="The new identifiant (7 digits and a check letter): keep it, it signs you in."
    )
    user_errors: list[UserError] = strawberry.field(description="Problems with the input.")


@strawberry.input(description="Create an employer account, which signs in with its e-mail.")
class EmployerSignUpInput:
    email: str = strawberry.field(description="The sign-in e-mail.")
    password: str = strawberry.field(description=PASSWORD_RULES)
    company_name: str = strawberry.field(description="The company's name (200 characters max).")


@strawberry.type(description="The result of an employer sign-up.")
class EmployerSignUpPayload:
    email: str | None = strawberry.field(description="The sign-in e-mail of the new account.")
    user_errors: list[UserError] = strawberry.field(
        description="Problems with the input (DUPLICATE when the e-mail has an account)."
    )


@strawberry.input(
    description="Sign in. Candidats: identifiant + postalCode + password. "
    "Employers and advisers: email + password."
)
class SessionCreateInput:
    password: str = strawberry.field(description="The password.")
    identifiant: str | None = strawberry.field(
        default=None, description="Candidats: 7 digits and a letter (e.g. 1234567H)."
    )
    postal_code: str | None = strawberry.field(
        default=None, description="Candidats: the postal code of the account."
    )
    email: str | None = strawberry.field(
        default=None, description="Employers and advisers: the sign-in e-mail."
    )


@strawberry.type(description="The result of a sign-in.")
class SessionCreatePayload:
    token: str | None = strawberry.field(
        description="Bearer token for the `Authorization` header; shown only once."
    )
    expires_at: datetime | None = strawberry.field(
        description="When the session ends at the latest (it also ends after inactivity)."
    )
    viewer: Viewer | None = strawberry.field(description="The signed-in account.")
    account_deletion_cancelled: bool | None = strawberry.field(
        default=None,
        description="True when this sign-in cancelled the account's scheduled erasure (a "
        "mail confirms it); null when the sign-in failed.",
    )
    user_errors: list[UserError] = strawberry.field(
        description="INVALID_CREDENTIALS (same for a wrong identifiant, password or postal "
        "code), THROTTLED (too many failures: the message says how long to wait), or input "
        "errors (INVALID_IDENTIFIANT, INVALID_POSTAL_CODE, …)."
    )


@strawberry.input(description="Which sessions to end.")
class SessionRevokeAllInput:
    keep_current: bool = strawberry.field(
        default=False, description="Keep the session of this request (end only the others)."
    )


@strawberry.type(description="The result of ending sessions.")
class SessionRevokePayload:
    revoked_count: int = strawberry.field(description="How many sessions were ended.")
    user_errors: list[UserError] = strawberry.field(
        description="UNAUTHENTICATED when not signed in."
    )


@strawberry.input(description="Change the password of the signed-in account.")
class PasswordChangeInput:
    current_password: str = strawberry.field(description="The current password.")
    new_password: str = strawberry.field(description=PASSWORD_RULES)


@strawberry.type(description="The result of a password change.")
class PasswordChangePayload:
    viewer: Viewer | None = strawberry.field(description="The account, when it changed.")
    user_errors: list[UserError] = strawberry.field(
        description="WRONG_PASSWORD, THROTTLED, UNAUTHENTICATED or password policy errors."
    )


@strawberry.input(description="Set or replace the secret question of the signed-in candidat.")
class SecretQuestionSetInput:
    question: str = strawberry.field(description="The question, in your words (200 max).")
    answer: str = strawberry.field(
        description="The answer, 3 to 200 characters; case, accents and spaces do not matter."
    )
    current_password: str = strawberry.field(description="The current password, to confirm.")


@strawberry.type(description="The result of setting the secret question.")
class SecretQuestionSetPayload:
    question: str | None = strawberry.field(description="The question now on the account.")
    user_errors: list[UserError] = strawberry.field(description="Problems with the input.")
