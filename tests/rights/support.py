"""Helpers of the data-rights tests: the example operations of graphql/operations/."""

from __future__ import annotations

from typing import Any

from tests.journeys.test_journey import run
from tests.support.client import GraphQL


async def rectify(api: GraphQL, token: str, **identity: Any) -> dict[str, Any]:
    """identityRectify's payload (graphql/operations/Rectification.graphql)."""
    data = await run(api, "IdentityRectify", token, **{"identifiant": None, **identity})
    payload: dict[str, Any] = data["identityRectify"]
    return payload


async def changes(api: GraphQL, token: str, **page: Any) -> dict[str, Any]:
    """viewer.personalDataChanges (graphql/operations/Rectification.graphql)."""
    data = await run(api, "PersonalDataChanges", token, **page)
    found: dict[str, Any] = data["viewer"]["personalDataChanges"]
    return found


async def access_log(api: GraphQL, token: str, **page: Any) -> list[dict[str, Any]]:
    """The nodes of viewer.accessLog, newest first (graphql/operations/AccessLog.graphql)."""
    data = await run(api, "AccessLog", token, first=100, **page)
    log = data["viewer"]["accessLog"]
    assert log["totalCount"] == len(log["edges"])
    return [edge["node"] for edge in log["edges"]]
