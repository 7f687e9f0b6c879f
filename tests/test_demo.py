"""The demo data of ``make demo``: seeded on a fresh database, its accounts sign in and
find what the banner promises (dossiers, offers, an instant alert)."""

from __future__ import annotations

from espace.demo import DEMO_PASSWORD, seed
from tests.accounts import sign_in
from tests.conftest import LiveServer
from tests.support import GraphQL

MINE = """
{ viewer { dossiers(first: 5) { edges { node {
  name alerts { edges { node { name status } } }
} } } } }
"""
OFFERS = "{ offerSearch(criteria: {}, first: 1) { totalCount } }"


async def test_the_demo_seed_signs_in_and_shows_data(server: LiveServer, api: GraphQL) -> None:
    accounts = await seed(server.runtime)
    candidats = [a for a in accounts if a.label.startswith("Candidat")]
    assert len(candidats) == 2 and any(a.label == "Conseiller" for a in accounts)
    statuses = []
    for account in candidats:
        assert account.postal_code is not None
        session = await sign_in(
            api, identifiant=account.login, password=DEMO_PASSWORD, postalCode=account.postal_code
        )
        assert session["userErrors"] == [], session
        data = await api(MINE, token=session["token"])
        [dossier] = data["viewer"]["dossiers"]["edges"]
        statuses += [e["node"]["status"] for e in dossier["node"]["alerts"]["edges"]]
    assert statuses == ["ACTIVE"]  # the candidat with a confirmed e-mail has an alert
    assert (await api(OFFERS))["offerSearch"]["totalCount"] >= 50
