"""Fixtures shared by the integration tests."""

from __future__ import annotations

import pytest

from search_index.backends import POSTGRES, WHOOSH
from tests.conftest import PG_URL


@pytest.fixture(params=[WHOOSH, *([POSTGRES] if PG_URL else [])])
def search_backend_name(request: pytest.FixtureRequest, database_url: str) -> str:
    """Each search backend: Whoosh on every database, PostgreSQL's on PostgreSQL (tests that
    ask for it run once per backend)."""
    if request.param == POSTGRES and not database_url.startswith("postgresql"):
        pytest.skip("the PostgreSQL search backend needs a PostgreSQL database")
    return str(request.param)
