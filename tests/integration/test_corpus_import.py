"""Whole real archives through `forum import-mbox`, and every edge-case message through the web."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from archive.mbox import iter_messages
from archive.models import MailingList, Message, Thread
from archive.own_text import own_text
from archive.store import store_batch
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from tests.web import signed_in_as

BENCH = Path(__file__).resolve().parents[2] / "bench"


# (file, read, imported, duplicate Message-IDs, threads, largest thread). The corpus README
# counts 3,715 / 941 threads by a plain bracketed-id union; we also follow the bare
# In-Reply-To ids that web-posted replies carry, and repeated Message-IDs count once.
class Expected(NamedTuple):
    filename: str
    read: int
    imported: int
    duplicates: int
    threads: int
    largest: int


ARCHIVES = [
    Expected("linux-mips-1996-2002.mbox.xz", 12538, 12527, 11, 3712, 120),
    Expected("usrp-users-2020-09_2021-12.mbox.xz", 3096, 3095, 1, 785, 30),
]


def _threads(name: str) -> tuple[int, int]:
    mlist = db.session.scalars(select(MailingList).where(MailingList.name == name)).one()
    count, largest = db.session.execute(
        select(func.count(Thread.id), func.max(Thread.message_count)).where(
            Thread.list_id == mlist.id
        )
    ).one()
    return count, largest


@pytest.mark.slow
@pytest.mark.parametrize("want", ARCHIVES, ids=lambda e: e.filename)
def test_corpus_archive_imports_with_the_expected_counts_and_only_once(
    runner: FlaskCliRunner, corpus: Path, want: Expected
) -> None:
    path = corpus / "lists" / want.filename
    first = runner.invoke(args=["import-mbox", "corpus", str(path), "--create-list", "--quiet"])
    assert first.exit_code == 0, first.output
    counts = f"{want.imported} imported, {want.duplicates} duplicates, 0 flagged"
    assert f"{want.read} messages read: {counts}" in first.output
    assert _threads("corpus") == (want.threads, want.largest)
    again = runner.invoke(args=["import-mbox", "corpus", str(path), "--quiet"])
    assert f"{want.read} messages read: 0 imported, {want.read} duplicates" in again.output
    assert db.session.scalar(select(func.count(Message.id))) == want.imported


def _edge_messages(corpus: Path) -> list[bytes]:
    raws: list[bytes] = []
    for path in sorted((corpus / "edge").rglob("*")):
        if not path.is_file():
            continue
        if path.name.endswith(".mbox.txt"):
            with path.open("rb") as stream:
                raws.extend(iter_messages(stream))
        else:
            raws.append(path.read_bytes())
    return raws


def test_every_edge_case_message_is_stored_and_renders(client: FlaskClient, corpus: Path) -> None:
    raws = _edge_messages(corpus)
    assert len(raws) > 100
    mlist, _ = ensure_list(db.session(), ListSpec("edge", "Edge", ""), "example.org")
    result = store_batch(db.session(), mlist.id, raws)
    db.session.commit()
    stored = db.session.execute(
        select(Message.message_id_hash, Message.thread_id).where(Message.list_id == mlist.id)
    ).all()
    assert len(stored) == len(result.stored)
    assert len(stored) + result.duplicates == len(raws)
    signed_in_as(client, "gv@truong.edu.vn", mlist)  # the raw mail is for members
    for message_hash, _ in stored:
        page = client.get(f"/lists/edge/message/{message_hash}/")
        assert page.status_code == 200, message_hash
        assert client.get(f"/lists/edge/message/{message_hash}/raw").status_code == 200
    for thread_id in {thread_id for _, thread_id in stored}:
        assert client.get(f"/lists/edge/thread/{thread_id}/").status_code == 200
    assert client.get("/lists/edge/").status_code == 200


@pytest.mark.slow
def test_linux_mips_dates_stay_in_their_years(
    runner: FlaskCliRunner, client: FlaskClient, corpus: Path
) -> None:
    """Spam with no Date or a 1979 / 0102 / future one is dated by its mail servers."""
    path = corpus / "lists" / "linux-mips-1996-2002.mbox.xz"
    assert runner.invoke(args=["import-mbox", "mips", str(path), "--create-list", "--quiet"])
    latest = db.session.scalar(select(func.max(Message.date)))
    earliest = db.session.scalar(select(func.min(Message.date)))
    assert latest is not None
    assert earliest is not None
    assert latest < datetime(2004, 1, 1, tzinfo=UTC)
    assert earliest >= datetime(1996, 1, 1, tzinfo=UTC)
    assert db.session.scalar(select(func.max(Thread.last_activity))) == latest
    page = client.get("/lists/mips/").get_data(as_text=True)
    assert "12/2026" not in page
    assert "/2026" not in page


@pytest.mark.slow
def test_replies_own_text_keeps_no_quoted_header_block_or_list_footer(corpus: Path) -> None:
    """The bench figure: under 0.5 % of replies on usrp-users and linux-mips."""
    spec = importlib.util.spec_from_file_location("own_text_bench", BENCH / "own_text.py")
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclass looks its module up there
    spec.loader.exec_module(bench)
    for name in ("usrp-users-2020-09_2021-12.mbox.xz", "linux-mips-1996-2002.mbox.xz"):
        figures = bench.measure(bench.reply_texts(corpus / "lists" / name), own_text)
        assert figures.replies > 2000
        assert figures.share < 0.5, (name, figures.examples[:5])
