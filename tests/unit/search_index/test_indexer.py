"""Indexing progress: the mark only passes a primary key once no older one can still appear;
and what a document records of its message."""

from __future__ import annotations

import gc
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from search_index.documents import MessageRow, document
from search_index.indexer import (
    IndexBusy,
    IndexState,
    index_version,
    open_index,
    put_state,
    read_state,
    writing,
)
from search_index.schema import SCHEMA_VERSION


def test_recent_keys_stay_above_the_mark_until_settled() -> None:
    state = IndexState().with_indexed([2, 3], when=1000.0)
    assert state.settled(now=1100.0, settle=300) == state
    assert state.settled(now=1300.0, settle=300) == IndexState(mark=3)


def test_the_mark_passes_settled_keys_lowest_first_and_stops_at_a_young_one() -> None:
    state = IndexState(mark=1).with_indexed([2], 1000.0).with_indexed([5], 1200.0)
    assert state.settled(now=1350.0, settle=300) == IndexState(mark=2, recent={5: 1200.0})


def test_keys_below_the_mark_are_not_recorded() -> None:
    assert IndexState(mark=10).with_indexed([3, 11], 5.0) == IndexState(10, {11: 5.0})


def test_state_round_trips_through_the_index(tmp_path: Path) -> None:
    ix = open_index(tmp_path)
    assert read_state(ix) == IndexState()
    state = IndexState(mark=7, recent={9: 12.5})
    with writing(ix) as writer:
        put_state(writer, state)
    assert read_state(ix) == state
    assert read_state(open_index(tmp_path)).version == SCHEMA_VERSION


def test_an_index_of_another_schema_version_is_started_afresh(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ix = open_index(tmp_path)
    with writing(ix) as writer:
        put_state(writer, IndexState(mark=7, version=SCHEMA_VERSION - 1))
    assert read_state(open_index(tmp_path)) == IndexState()
    assert f"is of version {SCHEMA_VERSION - 1}" in caplog.text
    assert "forum reindex" in caplog.text


def test_the_version_of_an_index_on_disk_is_read_without_changing_it(tmp_path: Path) -> None:
    assert index_version(tmp_path / "none") is None
    assert index_version(tmp_path) is None
    ix = open_index(tmp_path)
    assert index_version(tmp_path) == SCHEMA_VERSION
    with writing(ix) as writer:
        put_state(writer, IndexState(mark=7, version=SCHEMA_VERSION - 1))
    assert index_version(tmp_path) == SCHEMA_VERSION - 1
    assert index_version(tmp_path) == SCHEMA_VERSION - 1  # still there: nothing was replaced


def test_one_writer_at_a_time(tmp_path: Path) -> None:
    ix = open_index(tmp_path)
    with writing(ix), pytest.raises(IndexBusy), writing(ix):
        pass
    with writing(ix) as writer:  # the lock was released
        put_state(writer, IndexState(mark=1))


def test_a_failed_batch_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    ix = open_index(tmp_path)

    def crash() -> None:
        with writing(ix) as writer:
            put_state(writer, IndexState(mark=99))
            raise RuntimeError("crash mid-batch")

    with pytest.raises(RuntimeError):
        crash()
    assert read_state(ix) == IndexState()


# Whoosh leaves the unreadable table of contents open when it gives up on it.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_unreadable_index_is_started_afresh(tmp_path: Path) -> None:
    ix = open_index(tmp_path)
    with writing(ix) as writer:
        put_state(writer, IndexState(mark=7))
    for toc in tmp_path.glob("_MAIN_*.toc"):
        toc.write_bytes(b"not an index")
    assert read_state(open_index(tmp_path)) == IndexState()
    gc.collect()  # so that the file Whoosh left open is closed within this test


def test_a_documents_year_is_the_sites_local_year() -> None:
    new_years_eve = datetime(2008, 12, 31, 18, 0, tzinfo=UTC)  # 01:00 on 1 January in Hanoi
    row = MessageRow(1, "thpt", 1, 1, "h", "Chúc mừng năm mới", "Lan", "lan@x", new_years_eve,
                     new_years_eve, "Chúc mừng năm mới")  # fmt: skip
    assert document(row)["year"] == "2008"
    assert document(row, ZoneInfo("Asia/Ho_Chi_Minh"))["year"] == "2009"
    assert document(row)["date"] == datetime(2008, 12, 31, 18, 0)  # the date itself stays UTC
