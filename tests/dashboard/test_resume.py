"""Dashboard cursors: the events connection says where a live client resumes.

Events are listed newest first, so `pageInfo.endCursor` is the oldest event shown; a client
subscribing from it would receive again what it already shows. `resumeCursor` is the cursor
to subscribe from: list, then subscribe, and get only what is new, none repeated, none missed.
"""

from __future__ import annotations

from pathlib import Path

from schema.core.base import decode_cursor
from tests.conftest import LiveServer
from tests.support.accounts import account_row, event_rows, sign_up_candidate
from tests.support.client import GraphQL
from tests.support.dossiers import create_dossier
from tests.support.ws import subscribed

OPERATIONS = Path(__file__).resolve().parents[2] / "graphql" / "operations"
DASHBOARD = (OPERATIONS / "Dashboard.graphql").read_text(encoding="utf-8")
DASHBOARD_EVENTS = (OPERATIONS / "DashboardEvents.graphql").read_text(encoding="utf-8")
EVENTS_PAGE = """
query ($first: Int, $after: String) {
  viewer { dashboard { events(first: $first, after: $after) {
    edges { cursor }
    pageInfo { endCursor }
    resumeCursor
  } } }
}
"""


async def test_list_then_subscribe_from_the_resume_cursor(api: GraphQL, server: LiveServer) -> None:
    # given a candidat with three events: SIGNED_IN, then two dossiers
    candidate = await sign_up_candidate(api)
    for name in ("A1", "A2"):
        await create_dossier(api, candidate.token, name=name)
    account = await account_row(server, identifiant=candidate.identifiant)
    # when the dashboard lists them (the example operation, newest first)
    events = (await api(DASHBOARD, token=candidate.token))["viewer"]["dashboard"]["events"]
    listed = [decode_cursor(e["node"]["cursor"]) for e in events["edges"]]
    assert listed == [e.id for e in reversed(await event_rows(server, account.id))]
    # then endCursor is the oldest event, and resumeCursor the newest one
    assert decode_cursor(events["pageInfo"]["endCursor"]) == listed[-1]
    assert decode_cursor(events["resumeCursor"]) == listed[0]
    # when an event is committed before the client subscribes from resumeCursor
    await create_dossier(api, candidate.token, name="ENTRE")
    async with subscribed(
        server, candidate.token, DASHBOARD_EVENTS, {"after": events["resumeCursor"]}
    ) as ws:
        missed = await ws.next_data("1")
        # and another one once it listens
        await create_dossier(api, candidate.token, name="APRES")
        live = await ws.next_data("1")
        await ws.nothing_for(0.3)
    # then it receives exactly the two new events: none repeated, none missed
    received = [decode_cursor(e["dashboardEvents"]["cursor"]) for e in (missed, live)]
    logged = [e.id for e in await event_rows(server, account.id)]
    assert received == logged[len(listed) :]
    assert not set(received) & set(listed)
    assert [e["dashboardEvents"]["kind"] for e in (missed, live)] == ["DOSSIER_CREATED"] * 2


async def test_every_page_gives_the_newest_event_as_resume_cursor(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    await create_dossier(api, candidate.token)

    async def page(first: int, after: str | None = None) -> dict[str, object]:
        data = await api(EVENTS_PAGE, {"first": first, "after": after}, token=candidate.token)
        events: dict[str, object] = data["viewer"]["dashboard"]["events"]
        return events

    first = await page(1)
    newest = first["resumeCursor"]
    assert isinstance(newest, str)
    account = await account_row(server, identifiant=candidate.identifiant)
    assert decode_cursor(newest) == (await event_rows(server, account.id))[-1].id
    # a later page, and an empty one, still give the newest event of the account
    later = await page(1, after=newest)
    assert later["resumeCursor"] == newest
    assert (await page(0))["resumeCursor"] == newest


EVENTS_BACKWARD = """
query ($last: Int, $before: String) {
  viewer { dashboard { events(last: $last, before: $before) {
    edges { cursor node { kind } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    resumeCursor
  } } }
}
"""


async def test_events_page_backward_to_newer_events(api: GraphQL, server: LiveServer) -> None:
    # given a candidat with five events (SIGNED_IN, then four dossiers), newest first
    candidate = await sign_up_candidate(api)
    for name in ("B1", "B2", "B3", "B4"):
        await create_dossier(api, candidate.token, name=name)
    account = await account_row(server, identifiant=candidate.identifiant)
    newest_first = [e.id for e in reversed(await event_rows(server, account.id))]
    assert len(newest_first) == 5
    # when a client holding the two oldest events pages back before the newer of them
    held = await api(EVENTS_PAGE, {"first": 5}, token=candidate.token)
    cursors = [e["cursor"] for e in held["viewer"]["dashboard"]["events"]["edges"]]
    data = await api(EVENTS_BACKWARD, {"last": 2, "before": cursors[3]}, token=candidate.token)
    events = data["viewer"]["dashboard"]["events"]
    # then it gets the two events just newer than it, still newest first
    got = [decode_cursor(e["cursor"]) for e in events["edges"]]
    assert got == newest_first[1:3]
    assert events["pageInfo"]["hasPreviousPage"] is True  # the newest one is before them
    assert events["pageInfo"]["hasNextPage"] is True
    assert decode_cursor(events["resumeCursor"]) == newest_first[0]
    # and the last page from the end is the oldest events
    tail = await api(EVENTS_BACKWARD, {"last": 2, "before": None}, token=candidate.token)
    oldest = [decode_cursor(e["cursor"]) for e in tail["viewer"]["dashboard"]["events"]["edges"]]
    assert oldest == newest_first[-2:]
    # and asking for both directions at once is refused
    both = await api.raw(
        "query { viewer { dashboard { events(first: 1, last: 1) { edges { cursor } } } } }",
        token=candidate.token,
    )
    assert both["errors"][0]["extensions"]["code"] == "BAD_PAGE_SIZE"
