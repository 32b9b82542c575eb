"""Shared fixtures: the corpus, a real database (SQLite, and PostgreSQL when configured),
the app, its test client and CLI runner, and a guard against stray outbound SMTP."""

from __future__ import annotations

import os
import secrets
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, make_url, text

from archive.db import Base
from forum import create_app
from forum.cli.migrations import upgrade_schema
from forum.extensions import db
from forum.settings import Settings
from search_index.pg_schema import metadata as search_metadata
from search_index.searcher import close_searchers

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("FORUM_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))
PG_URL = os.environ.get("FORUM_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
_prepared: set[str] = set()


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"mail corpus not found at {CORPUS} (set FORUM_CORPUS_DIR)")
    return CORPUS


@pytest.fixture(autouse=True)
def no_outbound_smtp(monkeypatch: pytest.MonkeyPatch) -> set[int]:
    """Any SMTP connection not to a port a test opened on 127.0.0.1 fails the test."""
    allowed: set[int] = set()
    real_connect = smtplib.SMTP.connect

    def guarded(
        self: smtplib.SMTP, host: str = "localhost", port: int = 0, *a: Any, **kw: Any
    ) -> Any:
        if host not in ("127.0.0.1", "localhost") or port not in allowed:
            pytest.fail(f"unexpected outbound SMTP connection to {host}:{port}")
        return real_connect(self, host, port, *a, **kw)

    monkeypatch.setattr(smtplib.SMTP, "connect", guarded)
    return allowed


@pytest.fixture(autouse=True)
def _searchers_closed() -> Iterator[None]:
    """The searchers a test's searches kept open are closed after it (its index is deleted)."""
    yield
    close_searchers()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "postgresql":
        assert PG_URL is not None
        with own_postgresql_database(PG_URL) as url:
            yield url
        return
    yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'forum.sqlite3'}"


@contextmanager
def own_postgresql_database(server_url: str) -> Iterator[str]:
    """A new, uniquely named database on the server `server_url` names, dropped afterwards:
    the suite never touches a database it did not create."""
    server = make_url(server_url)
    name = f"forum_test_{os.getpid()}_{secrets.token_hex(4)}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "instance",
        database_url=database_url,
        secret_key="test-secret-key",
        domain="example.org",
        base_url="http://forum.test",
        testing=True,
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    app = create_app(settings)
    with app.app_context():
        if settings.database_url not in _prepared:
            upgrade_schema()
            _prepared.add(settings.database_url)
        yield app
        db.session.rollback()
        _empty_tables()
        db.engine.dispose()


def _empty_tables() -> None:
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
        if connection.dialect.name == "postgresql":  # the search tables (PostgreSQL only)
            for table in search_metadata.sorted_tables:
                connection.execute(table.delete())


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
