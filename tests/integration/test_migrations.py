"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import MetaData, text

from archive.db import NAMING_CONVENTION, Base
from archive.store import store
from forum import create_app
from forum.app import SQLITE_PAGE_SIZE
from forum.cli.migrations import migrations_directory
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.posting.reasons import ReasonCode, loads
from forum.settings import Settings
from search_index.pg_schema import metadata as search_metadata
from tests.conftest import PG_URL, own_postgresql_database
from tests.mail import raw_mail


def test_migrations_match_the_models(app: Flask) -> None:
    expected = MetaData(naming_convention=NAMING_CONVENTION)
    for table in Base.metadata.tables.values():
        table.to_metadata(expected)
    if db.engine.dialect.name == "postgresql":  # the search tables exist there only
        for table in search_metadata.tables.values():
            table.to_metadata(expected)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, expected)
    assert differences == []


@contextmanager
def _sqlite_app(database: Path) -> Iterator[str]:
    """In the context of an app on the SQLite file `database`: the migrations' folder."""
    settings = Settings(
        data_dir=database.parent / "instance",
        database_url=f"sqlite:///{database}",
        secret_key="k",
        testing=True,
    )
    app = create_app(settings)
    with app.app_context():
        try:
            yield migrations_directory(app)
        finally:
            db.session.remove()
            db.engine.dispose()


def test_hold_reasons_written_as_sentences_become_codes(tmp_path: Path) -> None:
    with _sqlite_app(tmp_path / "old.sqlite3") as directory:
        upgrade(directory=directory, revision="709a835926d1")  # before reasons were codes
        with db.engine.begin() as connection:
            connection.execute(text("PRAGMA foreign_keys = OFF"))  # the held post alone
            connection.execute(
                text(
                    "INSERT INTO held_post (id, list_id, inbound_id, sender, subject, reasons, "
                    "state, created_at, decided_by) VALUES (1, 1, 1, 'a@b.vn', 's', :reasons, "
                    "'held', '2026-01-01', '')"
                ),
                {"reasons": "the sender is not a member\nconfidentiality mark: TUYỆT MẬT\nodd"},
            )
        upgrade(directory=directory)
        stored = db.session.scalar(text("SELECT reasons FROM held_post WHERE id = 1"))
        reasons = loads(stored)
        assert [r.code for r in reasons] == [
            ReasonCode.NONMEMBER,
            ReasonCode.CONFIDENTIAL,
            ReasonCode.OTHER,
        ]
        assert reasons[1].param("mark") == "TUYỆT MẬT"
        assert reasons[2].param("text") == "odd"


def test_a_new_sqlite_database_has_large_pages_and_an_old_one_keeps_its_own(
    tmp_path: Path,
) -> None:
    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(old) as made_before:  # 4 KiB pages, a row in it
        made_before.execute("CREATE TABLE kept (value TEXT)")
        made_before.execute("INSERT INTO kept VALUES ('thư cũ')")
    made_before.close()
    for database, page_size in ((tmp_path / "new.sqlite3", SQLITE_PAGE_SIZE), (old, 4096)):
        with _sqlite_app(database) as directory:
            upgrade(directory=directory)
            assert db.session.scalar(text("PRAGMA page_size")) == page_size, database.name
            assert db.session.scalar(text("PRAGMA journal_mode")) == "wal"
            assert db.session.scalar(text("PRAGMA integrity_check")) == "ok"
            if database == old:
                assert db.session.scalar(text("SELECT value FROM kept")) == "thư cũ"


@contextmanager
def _postgresql_app(tmp_path: Path) -> Iterator[str]:
    """In the context of an app on a PostgreSQL database of its own: the migrations' folder."""
    assert PG_URL is not None
    with own_postgresql_database(PG_URL) as url:
        settings = Settings(
            data_dir=tmp_path / "instance", database_url=url, secret_key="k", testing=True
        )
        app = create_app(settings)
        with app.app_context():
            try:
                yield migrations_directory(app)
            finally:
                db.session.remove()
                db.engine.dispose()


@pytest.mark.skipif(PG_URL is None, reason="the search tables exist on PostgreSQL only")
def test_messages_search_rows_survive_the_attachment_key(tmp_path: Path) -> None:
    with _postgresql_app(tmp_path) as directory:
        upgrade(directory=directory, revision="5e2b7c9d1a40")  # messages' rows only
        db.session.execute(
            text(
                "INSERT INTO search_document VALUES (5, 1, 'thpt', 5, 'h', 's', 'n', "
                "'a@b.vn', '2026-12-01', '2026', false, CAST(:terms AS tsvector))"
            ),
            {"terms": "'text:ban':1"},
        )
        db.session.commit()
        upgrade(directory=directory)
        kept = db.session.execute(
            text("SELECT message_pk, attachment_id, attachment, terms FROM search_document")
        ).all()
        assert [tuple(row) for row in kept] == [(5, 0, None, "'text:ban':1")]


@pytest.mark.skipif(PG_URL is None, reason="compression methods are PostgreSQL's")
def test_large_columns_are_compressed_with_lz4_and_older_rows_still_read(tmp_path: Path) -> None:
    body = "Kính gửi các trường: lịch thi học kỳ như sau.\n" * 400  # long: stored compressed
    with _postgresql_app(tmp_path) as directory:
        upgrade(directory=directory, revision="9d4a6c1e7b32")  # before lz4
        mlist, _ = ensure_list(db.session, ListSpec("thpt", "THPT", ""), "example.org")
        (older,) = store(db.session, raw_mail("old@x", body=body), mlist.id).stored
        db.session.commit()
        upgrade(directory=directory)
        (newer,) = store(db.session, raw_mail("new@x", body=body), mlist.id).stored
        db.session.commit()
        methods = dict(
            db.session.execute(
                text("SELECT id, pg_column_compression(raw) FROM message WHERE id IN (:a, :b)"),
                {"a": older, "b": newer},
            ).all()
        )
        assert methods == {older: "pglz", newer: "lz4"}
        raws = db.session.scalars(text("SELECT raw FROM message ORDER BY id")).all()
        assert [bytes(raw) for raw in raws] == [
            raw_mail("old@x", body=body),
            raw_mail("new@x", body=body),
        ]
