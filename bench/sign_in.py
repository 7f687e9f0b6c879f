"""Sign-in latency: the argon2id cost alone, and ``sessionCreate`` end to end over HTTP."""

from __future__ import annotations

import statistics
import time

import httpx

from bench.common import database, server
from ground.passwords import Hasher

SIGN_UP = """mutation($p: String!) { candidateSignUp(input: {password: $p, postalCode: "22200"}) {
  identifiant userErrors { code } } }"""
SIGN_IN = """mutation($i: String!, $p: String!) {
  sessionCreate(input: {identifiant: $i, password: $p, postalCode: "22200"}) {
    token userErrors { code } } }"""
PASSWORD = "une phrase de passe assez longue pour le banc"


def _ms(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {
        "p50_ms": round(statistics.median(samples) * 1000, 1),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))] * 1000, 1),
    }


def run(iterations: int = 30) -> dict[str, object]:
    hasher = Hasher(2, 19 * 1024, 1)
    hashed = hasher.hash(PASSWORD)
    argon = []
    for _ in range(iterations):
        start = time.perf_counter()
        assert hasher.verify(hashed, PASSWORD)
        argon.append(time.perf_counter() - start)
    http_samples = []
    with database("sqlite") as url, server(url) as base, httpx.Client(base_url=base) as client:
        body = client.post("/graphql", json={"query": SIGN_UP, "variables": {"p": PASSWORD}})
        identifiant = body.json()["data"]["candidateSignUp"]["identifiant"]
        for _ in range(iterations):
            start = time.perf_counter()
            answer = client.post(
                "/graphql", json={"query": SIGN_IN, "variables": {"i": identifiant, "p": PASSWORD}}
            ).json()
            http_samples.append(time.perf_counter() - start)
            assert answer["data"]["sessionCreate"]["token"], answer
    return {
        "argon2id": {"m_kib": 19 * 1024, "t": 2, "p": 1, **_ms(argon)},
        "sessionCreate_http_sqlite": _ms(http_samples),
        "iterations": iterations,
    }
