"""Search indexes of every backend for the search tests: Whoosh in a temporary folder, and
PostgreSQL (when `FORUM_TEST_DATABASE_URL` is set) in a database of the test's own."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from search_index.backends import POSTGRES, WHOOSH, PostgresBackend, SearchBackend, WhooshBackend
from search_index.pg_schema import metadata
from search_index.searcher import Results, SearchRequest
from tests.conftest import PG_URL, own_postgresql_database

SEARCH_BACKENDS = [WHOOSH] + ([POSTGRES] if PG_URL else [])


@dataclass
class SearchIndex:
    """One backend's index, written and searched as the application does."""

    backend: SearchBackend
    sessions: Callable[[], Session]

    def put(self, docs: Iterable[dict[str, object]]) -> int:
        with self.sessions() as session:
            return self.backend.put(session, docs)

    def search(self, request: SearchRequest) -> Results:
        with self.sessions() as session:
            return self.backend.search(session, request)


MakeIndex = Callable[[], SearchIndex]


@pytest.fixture(scope="module", params=SEARCH_BACKENDS)
def make_index(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MakeIndex]:
    """Makes new, empty indexes of one backend."""
    with ExitStack() as stack:
        engines: list[Engine] = []

        def make() -> SearchIndex:
            if request.param == WHOOSH:
                return SearchIndex(WhooshBackend(tmp_path_factory.mktemp("index")), Session)
            assert PG_URL is not None
            engine = create_engine(stack.enter_context(own_postgresql_database(PG_URL)))
            engines.append(engine)
            metadata.create_all(engine)
            return SearchIndex(PostgresBackend(), sessionmaker(engine))

        yield make
        for engine in engines:
            engine.dispose()
