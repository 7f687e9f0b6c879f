"""GraphQL operations of password recovery (part of the identity domain).

``schema.identity.schema`` merges these into its Query and Mutation.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.core.errors import DomainError
from resolvers.identity import recovery, secret_question
from schema.core.base import UserError, domain_to_api_error
from schema.core.context import Info
from schema.core.runner import refusable, refuse_if_any

RESET_REQUESTED = (
    "Si un compte correspond à ces informations, un e-mail vient d'être envoyé à cette "
    "adresse avec un lien pour choisir un nouveau mot de passe. Le lien est valable {minutes} "
    "minutes."
)


@strawberry.input(description="Ask for a password reset link by e-mail.")
class PasswordResetRequestInput:
    email: str = strawberry.field(
        description="A confirmed e-mail of one of your dossiers (candidats), "
        "or your sign-in e-mail (employers, advisers)."
    )
    identifiant: str | None = strawberry.field(
        default=None,
        description="Candidats: your identifiant. Without it, every candidat account whose "
        "dossier has this confirmed e-mail gets a mail (which reminds the identifiant).",
    )


@strawberry.type(description="The answer to a reset request: the same whether or not it matched.")
class PasswordResetRequestPayload:
    accepted: bool = strawberry.field(
        description="True when the input was well-formed (not whether an account matched)."
    )
    message: str | None = strawberry.field(description="What to tell the person, in French.")
    user_errors: list[UserError] = strawberry.field(description="Problems with the input.")


@strawberry.input(description="Choose a new password with the token of a reset link.")
class PasswordResetInput:
    token: str = strawberry.field(description="The `token` parameter of the link in the mail.")
    new_password: str = strawberry.field(
        description="12 to 256 characters, not common, without personal data."
    )


@strawberry.type(description="The result of a password reset.")
class PasswordResetPayload:
    ok: bool = strawberry.field(
        description="True when the password was changed (every session is then ended)."
    )
    identifiant: str | None = strawberry.field(
        description="The candidat's identifiant, to sign in with; null for other accounts."
    )
    user_errors: list[UserError] = strawberry.field(
        description="TOKEN_INVALID, TOKEN_USED, TOKEN_EXPIRED or password policy errors."
    )


@strawberry.input(description="Recover a candidat account with the answer to its secret question.")
class PasswordRecoverBySecretQuestionInput:
    identifiant: str = strawberry.field(description="7 digits and a letter.")
    postal_code: str = strawberry.field(description="The postal code of the account.")
    answer: str = strawberry.field(
        description="The answer (case, accents and extra spaces do not matter)."
    )
    new_password: str = strawberry.field(
        description="12 to 256 characters, not common, without personal data."
    )


@strawberry.type(description="The result of a recovery by secret question.")
class PasswordRecoverBySecretQuestionPayload:
    ok: bool = strawberry.field(
        description="True when the password was changed (every session is then ended)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="INVALID_CREDENTIALS (wrong identifiant, postal code or answer), "
        "LOCKED (after 3 wrong answers, for 24 hours), RECOVERY_DISABLED, or input errors."
    )


@strawberry.type
class RecoveryQuery:
    @strawberry.field(
        description="The secret question of the candidat with this identifiant. The answer "
        "does not depend on the postal code (only its form is checked), and an identifiant "
        "without a question or without an account gets a decoy question, always the same: "
        "a lookup confirms nothing. Each lookup counts against the client's sign-in limits "
        "(error THROTTLED). Error RECOVERY_DISABLED when this recovery path is switched off."
    )
    async def secret_question(
        self,
        info: Info,
        identifiant: Annotated[str, strawberry.argument(description="7 digits and a letter.")],
        postal_code: Annotated[
            str, strawberry.argument(description="The postal code of the account.")
        ],
    ) -> str | None:
        ctx = info.context
        try:
            return await secret_question.secret_question_for(
                ctx.read_session(), ctx.runtime, identifiant, postal_code, ctx.client_ip
            )
        except DomainError as e:
            raise domain_to_api_error(e) from None


@strawberry.type
class RecoveryMutation:
    @strawberry.mutation(
        description="Mail a password reset link (which also reminds the identifiant). "
        "Answers the same whether or not an account matches."
    )
    async def password_reset_request(
        self,
        info: Info,
        input: Annotated[
            PasswordResetRequestInput,
            strawberry.argument(
                description="The e-mail address of the account (and, for a candidat, the "
                "identifiant) whose password was forgotten."
            ),
        ],
    ) -> PasswordResetRequestPayload:
        ctx = info.context
        minutes = ctx.runtime.settings.password_reset_minutes
        return await refusable(
            PasswordResetRequestPayload,
            lambda: recovery.request_password_reset(
                ctx, ctx.runtime, identifiant=input.identifiant, email=input.email
            ),
            lambda _: PasswordResetRequestPayload(
                accepted=True, message=RESET_REQUESTED.format(minutes=minutes), user_errors=[]
            ),
            lambda errors: PasswordResetRequestPayload(
                accepted=False, message=None, user_errors=errors
            ),
        )

    @strawberry.mutation(
        description="Set a new password with the token of a reset link; ends every session."
    )
    async def password_reset(
        self,
        info: Info,
        input: Annotated[
            PasswordResetInput,
            strawberry.argument(description="The token of the mailed link and the new password."),
        ],
    ) -> PasswordResetPayload:
        ctx = info.context
        return await refusable(
            PasswordResetPayload,
            lambda: recovery.reset_password(
                ctx, ctx.runtime, token=input.token, new_password=input.new_password
            ),
            lambda account: PasswordResetPayload(
                ok=True, identifiant=account.identifiant, user_errors=[]
            ),
            lambda errors: PasswordResetPayload(ok=False, identifiant=None, user_errors=errors),
        )

    @strawberry.mutation(
        description="Set a new password with the answer to the secret question; ends every "
        "session and leaves a notice (event, and a mail to confirmed addresses)."
    )
    async def password_recover_by_secret_question(
        self,
        info: Info,
        input: Annotated[
            PasswordRecoverBySecretQuestionInput,
            strawberry.argument(
                description="The candidat's identifiant and postal code, the answer to the secret"
                " question and the new password."
            ),
        ],
    ) -> PasswordRecoverBySecretQuestionPayload:
        ctx = info.context

        async def recover() -> None:
            refuse_if_any(
                await secret_question.recover_by_secret_question(
                    ctx,
                    ctx.runtime,
                    identifiant=input.identifiant,
                    postal_code=input.postal_code,
                    answer=input.answer,
                    new_password=input.new_password,
                    client=ctx.client_ip,
                )
            )

        return await refusable(
            PasswordRecoverBySecretQuestionPayload,
            recover,
            lambda _: PasswordRecoverBySecretQuestionPayload(ok=True, user_errors=[]),
            lambda errors: PasswordRecoverBySecretQuestionPayload(ok=False, user_errors=errors),
        )
