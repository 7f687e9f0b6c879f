"""The schema extension that answers a query from its compiled plan before graphql-core
executes it. Parsing, validation, limits and cost analysis (``schema.core.pipeline``) ran
before; error masking, size and deadline bounds, and observability stay in force after."""

from __future__ import annotations

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension

from schema.core.compiled.reads import CompiledReads


def compiled_extension(reads: CompiledReads) -> type[SchemaExtension]:
    class CompiledRead(SchemaExtension):
        async def on_execute(self) -> AsyncIterator[None]:
            execution = self.execution_context
            if not execution.result:
                answer = await reads.run(execution)
                if answer is not None:
                    execution.result = answer
            yield

    return CompiledRead
