"""Letters: advisers issue them (``letterIssue``); candidats read them in ``viewer.letters``
and download their PDF (``espace.web.letter_files``)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.letters import LetterKind
from resolvers.letters import issue
from schema.core.base import UserError
from schema.core.context import Info
from schema.core.runner import run_mutation
from schema.letters.types import Letter, LetterKindEnum


@strawberry.input(description="A letter an adviser sends to a candidat of their agency.")
class LetterIssueInput:
    identifiant: str = strawberry.field(
        description="The candidat's identifiant; NOT_FOUND unless the candidat is registered "
        "at the adviser's agency."
    )
    kind: LetterKindEnum = strawberry.field(description="The kind of letter.")  # type: ignore[valid-type]
    body: str = strawberry.field(
        description="The text, 1 to 4,000 characters; a blank line separates paragraphs."
    )


@strawberry.type(description="The result of letterIssue.")
class LetterIssuePayload:
    letter: Letter | None = strawberry.field(description="The issued letter, or null if refused.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="An adviser issues a letter to a candidat of their agency: the candidat "
        "sees it live (LETTER_RECEIVED) and gets a mail saying a letter is waiting (never "
        "the letter itself). FORBIDDEN for non-advisers."
    )
    async def letter_issue(
        self,
        info: Info,
        input: Annotated[
            LetterIssueInput,
            strawberry.argument(
                description="The candidat, the kind of letter (courrier) and its content."
            ),
        ],
    ) -> LetterIssuePayload:
        runtime = info.context.runtime
        return await run_mutation(
            info,
            LetterIssuePayload,
            lambda session, viewer: issue.adviser_issue(
                session,
                runtime,
                viewer.account,
                input.identifiant,
                LetterKind(input.kind),
                input.body,
            ),
            lambda row: LetterIssuePayload(letter=Letter.from_model(row), user_errors=[]),
        )
