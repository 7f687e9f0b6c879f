"""Fixtures of the offers tests: the catalogue of offers the search tests look through."""

from __future__ import annotations

import pytest

from tests.support.client import GraphQL
from tests.support.offers import Catalogue, post_catalogue


@pytest.fixture
async def catalogue(api: GraphQL) -> Catalogue:
    """The search tests' offers, posted by an employer."""
    return await post_catalogue(api)
