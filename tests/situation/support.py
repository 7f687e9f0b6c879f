"""Shared by the changes-of-situation tests: the documents and a declaring helper."""

from __future__ import annotations

from typing import Any

from tests.support.client import GraphQL

CHANGE_FIELDS = """
  id kind label reference startDate endDate registeredSentence summary candidatIdentifiant
  employer contractType weeklyHours organisme address categoryBefore categoryAfter
  registrationState available agencyChanged absenceDaysInYear requestedDocument
  requestedDocumentLabel
"""
DECLARE = f"""
mutation ($input: SituationChangeDeclareInput!) {{
  situationChangeDeclare(input: $input) {{
    situationChange {{ {CHANGE_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}
"""
CHANGES = f"""
query ($first: Int, $after: String, $last: Int, $before: String) {{ viewer {{
  situationChanges(first: $first, after: $after, last: $last, before: $before) {{
    totalCount
    edges {{ node {{ {CHANGE_FIELDS} }} }}
    pageInfo {{ hasNextPage hasPreviousPage endCursor startCursor }}
  }}
}} }}
"""
NODE = "query ($id: ID!) { node(id: $id) { id ... on SituationChange { reference } } }"
REGISTRATION = """
{ viewer { registration {
  state category categoryLabel agency { code } adviserName
  history(first: 10) { state effectiveOn reason }
} } }
"""
DOSSIERS = """
{ viewer { dossiers(first: 5) { edges { node { adresse postalCode communeName } } } } }
"""
LETTERS = "{ viewer { letters(first: 5) { edges { node { kind title } } } } }"
LIVE = "subscription { dashboardEvents { kind message subjectId } }"


async def declare(api: GraphQL, token: str, **fields: Any) -> dict[str, Any]:
    """Run situationChangeDeclare; its payload."""
    data = await api(DECLARE, {"input": fields}, token=token)
    payload: dict[str, Any] = data["situationChangeDeclare"]
    return payload


async def changes(api: GraphQL, token: str, **variables: Any) -> dict[str, Any]:
    """The viewer's situationChanges connection."""
    data = await api(CHANGES, variables or {"first": 10}, token=token)
    found: dict[str, Any] = data["viewer"]["situationChanges"]
    return found


def codes(payload: dict[str, Any]) -> dict[str | None, str]:
    return {e["field"]: e["code"] for e in payload["userErrors"]}
