"""A rebuild shared with a second process (`search_index.second_writer`) writes the index a
rebuild alone writes: every posting of every document, in the same order, the same state;
and when that process dies half-way, its half is indexed by the rebuilding process."""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import func, select
from whoosh.index import FileIndex

from archive.models import Message
from forum.extensions import db
from forum.search.indexing import index_dir
from forum.settings import Settings
from search_index import second_writer
from search_index.indexer import open_index, read_state
from search_index.sync import rebuild
from tests.integration.test_search import corpus_lists, search_app  # noqa: F401 - fixtures


def _postings(ix: FileIndex) -> tuple[list[str], list[object]]:
    """The documents' pks in index order, and every term with its postings by pk."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        pks = [str(fields.get("pk")) for fields in reader.all_stored_fields()]
        seen: list[object] = []
        for field, text in reader.all_terms():
            seen.append((field, text, reader.doc_frequency(field, text)))
            matcher = reader.postings(field, text)
            while matcher.is_active():
                seen.append((pks[matcher.id()], matcher.weight(), matcher.value()))
                matcher.next()
        return pks, seen


def _rebuilt(settings: Settings, during: Callable[[], None] | None = None) -> tuple[int, list[int]]:
    """A full rebuild; how many messages, and what its progress was told."""
    reported: list[int] = []

    def progress(count: int) -> None:
        reported.append(count)
        if during is not None:
            during()

    return rebuild(db.session(), index_dir(settings), progress=progress), reported


@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch) -> Callable[[bool], None]:
    """Sets whether a rebuild of the test's archive (a few dozen messages) is shared."""

    def share(on: bool) -> None:
        monkeypatch.setattr(second_writer, "HELPER_FROM", 10 if on else 10**9)

    return share


def _segments(settings: Settings) -> int:
    return len(open_index(index_dir(settings))._segments())


@pytest.mark.usefixtures("search_app", "corpus_lists")
def test_a_rebuild_shared_with_a_second_process_writes_the_same_index(
    settings: Settings, shared: Callable[[bool], None]
) -> None:
    total = db.session.scalar(select(func.count(Message.id)))
    assert total is not None
    assert total > 20
    shared(False)
    assert _rebuilt(settings)[0] == total
    alone = _postings(open_index(index_dir(settings)))
    state = read_state(open_index(index_dir(settings)))
    assert _segments(settings) == 1

    shared(True)
    count, reported = _rebuilt(settings)
    assert count == total
    assert sum(reported) == total  # both halves' progress told
    assert _segments(settings) == 2  # the second process's segment, then this one's
    together = _postings(open_index(index_dir(settings)))
    assert len(together[1]) > 10_000
    assert together == alone
    assert read_state(open_index(index_dir(settings))) == state


@pytest.mark.usefixtures("search_app", "corpus_lists")
def test_the_half_of_a_second_process_killed_midway_is_indexed_by_the_rebuild(
    settings: Settings,
    shared: Callable[[bool], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    total = db.session.scalar(select(func.count(Message.id)))
    shared(False)
    _rebuilt(settings)
    alone = _postings(open_index(index_dir(settings)))
    killed: list[int] = []

    def kill_the_second_writer() -> None:
        for pid in _children("search_index.second_writer"):
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    shared(True)
    with caplog.at_level(logging.WARNING, logger="search_index.second_writer"):
        count, reported = _rebuilt(settings, during=kill_the_second_writer)
    assert killed
    assert "the second index writer died" in caplog.text
    assert count == total
    assert sum(reported) >= total
    assert _postings(open_index(index_dir(settings))) == alone


@pytest.mark.usefixtures("search_app", "corpus_lists")
def test_a_small_archive_or_a_private_database_is_rebuilt_by_one_process(
    settings: Settings,
) -> None:
    assert second_writer.HELPER_FROM > 1_000  # the test archive is far smaller
    assert second_writer.start_second_writer(db.session(), index_dir(settings), UTC) is None
    assert _rebuilt(settings)[0] == db.session.scalar(select(func.count(Message.id)))
    assert _segments(settings) == 1
    for url in ("sqlite://", "sqlite:///:memory:", "sqlite:///file:x?mode=memory&uri=true"):
        assert second_writer.private_database(url)
    assert not second_writer.private_database("sqlite:////srv/forum/forum.sqlite3")
    assert not second_writer.private_database("postgresql+psycopg://forum@db/forum")


def _children(module: str) -> list[int]:
    """This process's children running `python -m module` (from /proc, on Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(stat.rpartition(")")[2].split()[1])
        if parent == os.getpid() and module.encode() in command:
            found.append(int(entry.name))
    return found
