"""``Counts`` fields in SQL: an object of Int fields read in one aggregate subquery of the
rows tied to the parent row (``count(CASE WHEN <condition> THEN 1 END)`` per field, as
``resolvers.dashboard.summary`` counts events per service)."""

from __future__ import annotations

from graphql import FieldNode, GraphQLObjectType
from sqlalchemy import case, func, select

from resolvers.core.owners import owned_by
from schema.core.compiled.collect import NotCompilable, collect, sub_selections
from schema.core.compiled.connections import Compiler
from schema.core.compiled.declare import Counts, Row
from schema.core.compiled.sqljson import Sql


def counts_object(
    c: Compiler, counts: Counts, gtype: GraphQLObjectType, parent: Row, nodes: list[FieldNode]
) -> Sql:
    """The JSON object of the counts the selection asks for (``__typename`` too)."""
    child = c.alias(counts.model)
    pairs: list[tuple[str, Sql]] = []
    for key, field_nodes in collect(c.schema, c.fragments, gtype, sub_selections(nodes)).items():
        name = field_nodes[0].name.value
        if name == "__typename":
            pairs.append((key, c.json.text(gtype.name)))
            continue
        condition = counts.fields.get(name)
        if condition is None or any(n.arguments for n in field_nodes):
            raise NotCompilable(f"{gtype.name}.{name}")
        pairs.append((key, func.count(case((condition(child), 1)))))
    conds = [counts.link(child, parent)]
    if counts.owned:
        conds.append(owned_by(child, c.account))
    found = select(c.json.obj(pairs)).select_from(child).where(*conds).correlate(parent)
    return c.json.embed(found.scalar_subquery())
