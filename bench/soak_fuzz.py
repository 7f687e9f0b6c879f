"""The fuzz corpus of the soak run: GraphQL documents generated from our own schema
(``graphql/schema.graphql``) by hypothesis-graphql, valid ones and invalid ones, for every
root query and mutation field. Deterministic for a given seed and size.
"""

from __future__ import annotations

from pathlib import Path

import hypothesis_graphql as hg
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

SCHEMA = Path(__file__).resolve().parent.parent / "graphql" / "schema.graphql"

CUSTOM_SCALARS = {
    "Date": st.dates().map(lambda d: hg.nodes.String(d.isoformat())),
    "DateTime": st.datetimes().map(lambda d: hg.nodes.String(d.isoformat() + "Z")),
    "JSON": st.text(max_size=20).map(hg.nodes.String),
    "Upload": st.just(hg.nodes.Null),
}


def corpus(size: int = 300, random_seed: int = 20261205) -> list[str]:
    """``size`` documents: a mix of queries and mutations, valid (positive) and invalid."""
    sdl = SCHEMA.read_text(encoding="utf-8")
    strategy = st.one_of(
        hg.queries(sdl, custom_scalars=CUSTOM_SCALARS),
        hg.mutations(sdl, custom_scalars=CUSTOM_SCALARS),
        hg.queries(sdl, custom_scalars=CUSTOM_SCALARS, mode=hg.Mode.NEGATIVE),
        hg.mutations(sdl, custom_scalars=CUSTOM_SCALARS, mode=hg.Mode.NEGATIVE),
    )
    found: list[str] = []

    @seed(random_seed)
    @settings(
        max_examples=size,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(document: object) -> None:
        found.append(str(document))

    collect()
    return found[:size]


if __name__ == "__main__":
    docs = corpus(20)
    for doc in docs[:5]:
        print(doc[:300].replace("\n", " "))
    print(len(docs), "documents")
