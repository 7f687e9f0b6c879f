"""Helpers for the alert tests: creating alerts over the API and reading alert mails."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

from tests.support.client import GraphQL

ALERT_FIELDS = """
  id name frequency status email lastSentAt
  criteria { keywords departements typesContrat communeInsee distanceKm }
  matches(first: 20) { edges { node { sentAt offer { number intitule } } } }
"""
ALERT_CREATE = f"""
mutation ($input: AlertCreateInput!) {{
  alertCreate(input: $input) {{ alert {{ {ALERT_FIELDS} }} userErrors {{ field code message }} }}
}}
"""
DOSSIER_ALERTS = f"""
query ($id: ID!) {{
  node(id: $id) {{
    ... on Dossier {{ alerts(first: 20) {{ edges {{ node {{ {ALERT_FIELDS} }} }} }} }}
  }}
}}
"""
BAKER_IN_22 = {"keywords": "boulanger", "departements": ["22"], "typesContrat": ["CDI"]}


async def create_alert(
    api: GraphQL,
    token: str,
    dossier_id: str,
    criteria: dict[str, Any] | None = None,
    frequency: str = "INSTANT",
    name: str = "Boulangerie Côtes-d'Armor",
) -> dict[str, Any]:
    data = await api(
        ALERT_CREATE,
        {
            "input": {
                "dossierId": dossier_id,
                "name": name,
                "criteria": BAKER_IN_22 if criteria is None else criteria,
                "frequency": frequency,
            }
        },
        token=token,
    )
    payload = data["alertCreate"]
    assert payload["userErrors"] == [], payload
    alert: dict[str, Any] = payload["alert"]
    return alert


async def dossier_alerts(api: GraphQL, token: str, dossier_id: str) -> list[dict[str, Any]]:
    data = await api(DOSSIER_ALERTS, {"id": dossier_id}, token=token)
    return [edge["node"] for edge in data["node"]["alerts"]["edges"]]


def unsubscribe_link(mail: EmailMessage) -> str:
    """The URL of the List-Unsubscribe header (``<https://…>``)."""
    header = str(mail["List-Unsubscribe"])
    assert header.startswith("<") and header.endswith(">"), header
    return header[1:-1]
