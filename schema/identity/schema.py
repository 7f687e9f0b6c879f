"""GraphQL types and operations of the identity domain: accounts, sessions, passwords.

Sign-in is one mutation, ``sessionCreate``: a candidat gives ``identifiant`` +
``postalCode`` + ``password``; an employer or an adviser gives ``email`` +
``password``. The token it returns is sent as ``Authorization: Bearer <token>``.
Recovery operations live in ``schema.identity.recovery`` and are merged here.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from resolvers.identity import accounts as identity
from resolvers.identity import credentials
from resolvers.identity import sign_up as identity_sign_up
from resolvers.identity.accounts import SignInResult
from resolvers.identity.sessions import Viewer as SessionViewer
from resolvers.identity.sessions import revoke_all_sessions, revoke_session
from schema.core.context import Info
from schema.core.runner import refusable, refuse_if_any, run_mutation, run_signed_in
from schema.identity.recovery import RecoveryMutation, RecoveryQuery
from schema.identity.types import (
    CandidateSignUpInput,
    CandidateSignUpPayload,
    EmployerSignUpInput,
    EmployerSignUpPayload,
    PasswordChangeInput,
    PasswordChangePayload,
    SecretQuestionSetInput,
    SecretQuestionSetPayload,
    SessionCreateInput,
    SessionCreatePayload,
    SessionRevokeAllInput,
    SessionRevokePayload,
)
from schema.viewer.schema import Viewer


@strawberry.type
class Query(RecoveryQuery):
    pass


@strawberry.type
class Mutation(RecoveryMutation):
    @strawberry.mutation(description="Create a candidat account and get its identifiant.")
    async def candidate_sign_up(
        self,
        info: Info,
        input: Annotated[
            CandidateSignUpInput,
            strawberry.argument(
                description="The new candidat's password, postal code and e-mail address."
            ),
        ],
    ) -> CandidateSignUpPayload:
        ctx = info.context
        return await refusable(
            CandidateSignUpPayload,
            lambda: identity_sign_up.candidate_sign_up(
                ctx,
                ctx.runtime,
                password=input.password,
                postal_code=input.postal_code,
                email=input.email,
            ),
            lambda account: CandidateSignUpPayload(identifiant=account.identifiant, user_errors=[]),
        )

    @strawberry.mutation(description="Create an employer account.")
    async def employer_sign_up(
        self,
        info: Info,
        input: Annotated[
            EmployerSignUpInput,
            strawberry.argument(description="The employer's e-mail, password and company."),
        ],
    ) -> EmployerSignUpPayload:
        ctx = info.context
        return await refusable(
            EmployerSignUpPayload,
            lambda: identity_sign_up.employer_sign_up(
                ctx,
                ctx.runtime,
                email=input.email,
                password=input.password,
                company_name=input.company_name,
            ),
            lambda account: EmployerSignUpPayload(email=account.email, user_errors=[]),
        )

    @strawberry.mutation(description="Sign in and get a bearer token.")
    async def session_create(
        self,
        info: Info,
        input: Annotated[
            SessionCreateInput,
            strawberry.argument(
                description="The credentials: identifiant, password and postal code for a "
                "candidat, e-mail and password otherwise."
            ),
        ],
    ) -> SessionCreatePayload:
        ctx = info.context

        async def sign_in() -> SignInResult:
            creds = identity.parse_credentials(
                input.identifiant, input.postal_code, input.email, input.password
            )
            result = await identity.sign_in(
                ctx, ctx.runtime, creds, ctx.request.headers.get("user-agent"), ctx.client_ip
            )
            if result.token is None or result.account is None:
                refuse_if_any(result.errors)
            return result

        return await refusable(
            SessionCreatePayload,
            sign_in,
            lambda result: SessionCreatePayload(
                token=result.token,
                expires_at=result.expires_at,
                viewer=Viewer.from_model(result.account) if result.account else None,
                account_deletion_cancelled=result.deletion_cancelled,
                user_errors=[],
            ),
        )

    @strawberry.mutation(description="Sign out: end the session of this request's token.")
    async def session_revoke(self, info: Info) -> SessionRevokePayload:
        ctx = info.context

        def revoked(_: None) -> SessionRevokePayload:
            ctx.viewer = None
            return SessionRevokePayload(revoked_count=1, user_errors=[])

        return await run_mutation(
            info,
            SessionRevokePayload,
            lambda session, viewer: revoke_session(session, viewer.session_id),
            revoked,
            lambda errors: SessionRevokePayload(revoked_count=0, user_errors=errors),
        )

    @strawberry.mutation(
        description="End every session of the account (all devices), this one included "
        "unless keepCurrent."
    )
    async def session_revoke_all(
        self,
        info: Info,
        input: Annotated[
            SessionRevokeAllInput | None,
            strawberry.argument(
                description="Whether to keep the current session; every other one ends."
            ),
        ] = None,
    ) -> SessionRevokePayload:
        ctx = info.context
        keep_current = input is not None and input.keep_current

        async def revoke(session: AsyncSession, viewer: SessionViewer) -> tuple[int, bool]:
            keep = viewer.session_id if keep_current else None
            return len(await revoke_all_sessions(session, viewer.account.id, keep)), keep_current

        def revoked(done: tuple[int, bool]) -> SessionRevokePayload:
            count, kept = done
            if not kept:
                ctx.viewer = None
            return SessionRevokePayload(revoked_count=count, user_errors=[])

        return await run_mutation(
            info,
            SessionRevokePayload,
            revoke,
            revoked,
            lambda errors: SessionRevokePayload(revoked_count=0, user_errors=errors),
        )

    @strawberry.mutation(
        description="Change the password (the current one is required); ends the other "
        "sessions, keeps this one, and mails a notice to confirmed addresses."
    )
    async def password_change(
        self,
        info: Info,
        input: Annotated[
            PasswordChangeInput,
            strawberry.argument(description="The current password and the new one."),
        ],
    ) -> PasswordChangePayload:
        ctx = info.context

        async def change(viewer: SessionViewer) -> SessionViewer:
            refuse_if_any(
                await credentials.change_password(
                    ctx,
                    ctx.runtime,
                    viewer,
                    current_password=input.current_password,
                    new_password=input.new_password,
                )
            )
            return viewer

        return await run_signed_in(
            info,
            PasswordChangePayload,
            change,
            lambda viewer: PasswordChangePayload(
                viewer=Viewer.from_model(viewer.account), user_errors=[]
            ),
        )

    @strawberry.mutation(
        description="Set or replace the secret question used to recover the account."
    )
    async def secret_question_set(
        self,
        info: Info,
        input: Annotated[
            SecretQuestionSetInput,
            strawberry.argument(description="The question, its answer and the current password."),
        ],
    ) -> SecretQuestionSetPayload:
        ctx = info.context

        async def set_question(viewer: SessionViewer) -> str:
            refuse_if_any(
                await credentials.secret_question_set(
                    ctx,
                    ctx.runtime,
                    viewer,
                    question=input.question,
                    answer=input.answer,
                    current_password=input.current_password,
                )
            )
            return " ".join(input.question.split())

        return await run_signed_in(
            info,
            SecretQuestionSetPayload,
            set_question,
            lambda question: SecretQuestionSetPayload(question=question, user_errors=[]),
        )
