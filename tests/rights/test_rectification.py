"""Rectification (RGPD art. 16), over HTTP and SMTP: civilité, nom and prénom are corrected
on every dossier, and each change to personal data (by the candidat, an adviser of their
agency, or a mailed link) is in ``viewer.personalDataChanges``, for the candidat alone."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from resolvers.rectification.history import export_personal_data_changes
from tests.conftest import LiveServer
from tests.journeys.test_journey import link_with, run, token_of
from tests.journeys.unemployment_steps import BANK_CHANGE, BNP, POSTE
from tests.rights.support import changes, rectify
from tests.support.accounts import (
    DEFAULT_PASSWORD,
    account_row,
    confirmed_candidate,
    sign_up_employer,
)
from tests.support.agencies import adviser_at, registered_candidate, two_agencies
from tests.support.client import GraphQL, MailCatcher
from tests.support.dossiers import create_dossier
from tests.support.indemnisation import mutate

NODE = "query ($id: ID!) { node(id: $id) { id } }"
NAMES = "{ viewer { dossiers { edges { node { id civilite nom prenom } } } } }"


def triples(found: dict[str, object]) -> list[tuple[str, str, object, object]]:
    edges = found["edges"]
    assert isinstance(edges, list)
    return [
        (e["node"]["actor"], e["node"]["field"], e["node"]["oldValue"], e["node"]["newValue"])
        for e in edges
    ]


async def test_the_candidat_rectifies_and_reads_every_change_with_its_author(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # given a candidat with two dossiers, the first with a confirmed address
    me = await confirmed_candidate(api, http, smtp, "annaig.rect@example.org")
    second = await create_dossier(api, me.token, name="DRE2")

    # when civilité, nom and prénom are corrected: every dossier follows
    done = await rectify(api, me.token, civilite="MONSIEUR", nom=" Le Goff-Morvan ", prenom="Yann")
    assert done["userErrors"] == []
    assert done["identity"] == {
        "civilite": "MONSIEUR",
        "nom": "Le Goff-Morvan",
        "prenom": "Yann",
        "dossierCount": 2,
        "changedFields": ["civilite", "nom", "prenom"],
    }
    mine = (await api(NAMES, token=me.token))["viewer"]["dossiers"]["edges"]
    assert {(d["node"]["civilite"], d["node"]["nom"], d["node"]["prenom"]) for d in mine} == {
        ("MONSIEUR", "Le Goff-Morvan", "Yann")
    }
    again = await rectify(api, me.token, civilite="MONSIEUR", nom="Le Goff-Morvan", prenom="Yann")
    assert again["identity"]["changedFields"] == []

    # a refused rectification changes nothing (every field error at once)
    refused = await rectify(api, me.token, civilite="MADAME", nom="  ", prenom="x" * 101)
    assert refused["identity"] is None
    assert {(e["field"], e["code"]) for e in refused["userErrors"]} == {
        ("nom", "REQUIRED"),
        ("prenom", "TOO_LONG"),
    }

    # the address changes through dossierUpdate: audited, and the new address gets its mail
    dossier_id = mine[0]["node"]["id"]
    updated = await run(
        api, "DossierUpdate", me.token, id=dossier_id, email="pas.moi.rect@example.org"
    )
    assert updated["dossierUpdate"]["userErrors"] == []
    [mail] = await smtp.wait_for(1, to="pas.moi.rect@example.org")
    # whoever got it reports « ce n'est pas mon adresse »: removed, by the link
    report = link_with(mail, "/courriel/signaler")
    answer = await http.post(urlsplit(report).path, data={"token": token_of(report)})
    assert answer.status_code == 200

    found = await changes(api, me.token, first=50)
    assert found["totalCount"] == 8
    assert triples(found) == [
        ("LINK", "email", "pas.moi.rect@example.org", None),
        ("CANDIDAT", "email", "annaig.rect@example.org", "pas.moi.rect@example.org"),
        ("CANDIDAT", "prenom", "Annaïg", "Yann"),
        ("CANDIDAT", "nom", "Le Goff", "Le Goff-Morvan"),
        ("CANDIDAT", "civilite", "MADAME", "MONSIEUR"),
        ("CANDIDAT", "prenom", "Annaïg", "Yann"),
        ("CANDIDAT", "nom", "Le Goff", "Le Goff-Morvan"),
        ("CANDIDAT", "civilite", "MADAME", "MONSIEUR"),
    ]
    newest = found["edges"][0]["node"]
    assert newest["label"] == "Adresse électronique" and newest["subject"] == "dossier"
    assert {e["node"]["subjectName"] for e in found["edges"]} == {"DRE1", second["name"]}

    # paged: two then the rest, no overlap
    first = await changes(api, me.token, first=2)
    rest = await changes(api, me.token, first=50, after=first["pageInfo"]["endCursor"])
    assert first["pageInfo"]["hasNextPage"] is True
    assert triples(first) + triples(rest) == triples(found)

    # another candidat sees none of it, not even by global ID
    other = await confirmed_candidate(api, http, smtp, "autre.rect@example.org")
    assert (await changes(api, other.token))["totalCount"] == 0
    change_id = newest["id"]
    assert (await api(NODE, {"id": change_id}, token=other.token))["node"] is None
    assert (await api(NODE, {"id": change_id}, token=me.token))["node"] == {"id": change_id}


async def test_a_bank_change_is_in_the_history_masked(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    me = await confirmed_candidate(api, http, smtp, "banque.rect@example.org")
    for iban in (BNP, POSTE):
        changed = await mutate(
            api,
            BANK_CHANGE,
            me.token,
            iban=iban,
            holder="Annaïg Le Goff",
            currentPassword=DEFAULT_PASSWORD,
        )
        assert changed["userErrors"] == []
    found = triples(await changes(api, me.token))
    assert found == [
        ("CANDIDAT", "bic", "BNPAFRPP", "PSSTFRPP"),
        ("CANDIDAT", "iban", "FR76 •••• •••• •••• 0143", "FR14 •••• •••• •••• 2606"),
        ("CANDIDAT", "holder", None, "Annaïg Le Goff"),
        ("CANDIDAT", "bic", None, "BNPAFRPP"),
        ("CANDIDAT", "iban", None, "FR76 •••• •••• •••• 0143"),
    ]
    assert not any(BNP.replace(" ", "") in str(c) for c in found)
    # the export's list (for issue 14 §1) holds the same history, oldest first
    account = await account_row(server, identifiant=me.identifiant)
    async with server.runtime.sessionmaker() as session:
        exported = await export_personal_data_changes(session, account.id)
    assert [
        (e["auteur"], e["champ"], e["ancienneValeur"], e["nouvelleValeur"]) for e in exported
    ] == found[::-1]
    assert exported[-2]["libelle"] == "IBAN (compte de paiement)"


async def test_an_adviser_of_the_agency_rectifies_another_agency_cannot(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    agencies = await two_agencies(server, api)
    annaig = await registered_candidate(api, http, smtp, agencies["GUI01"], "gui.rect@example.org")
    guingamp = await adviser_at(server, api, "GUI01")
    brest = await adviser_at(server, api, "BRE01")
    employer = await sign_up_employer(api)
    ident = annaig.identifiant

    outsider = await rectify(api, brest, identifiant=ident, civilite="MADAME", nom="X", prenom="Y")
    assert [(e["field"], e["code"]) for e in outsider["userErrors"]] == [
        ("identifiant", "NOT_FOUND")
    ]
    denied = await rectify(api, employer.token, civilite="MADAME", nom="X", prenom="Y")
    assert [e["code"] for e in denied["userErrors"]] == ["WRONG_ACCOUNT_KIND"]
    assert (await changes(api, annaig.token))["totalCount"] == 0

    done = await rectify(
        api, guingamp, identifiant=ident.lower(), civilite="MADAME", nom="Le Goff", prenom="Anne"
    )
    assert done["identity"]["changedFields"] == ["prenom"]
    assert triples(await changes(api, annaig.token)) == [("CONSEILLER", "prenom", "Annaïg", "Anne")]
    # the adviser's own history is empty: it is the candidat's data
    assert (await changes(api, guingamp))["totalCount"] == 0
