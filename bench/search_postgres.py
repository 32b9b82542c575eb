"""Search benchmark: indexing documents/s and peak RSS, then p50/p95 latency of 50 queries.

Usage: python bench/search.py --backend whoosh|postgres [MBOX] [--database-url URL] [--rounds N]
                              [--backend whoosh|postgres] [--server URL]
Default MBOX: ../shared/corpus/lists/linux-mips-1996-2002.mbox.xz, imported first into a new
SQLite database (in a child process, so that the peak RSS printed is the indexing's own).
With --database-url, an existing database is indexed instead. Queries run as a results page
does: search, facets and 25 hits, then the snippets from the stored bodies.
With --backend postgres, the mbox goes into a new database on the PostgreSQL server --server
names (dropped afterwards), searched through the PostgreSQL backend; the bench also compares
indexing one message per transaction (as the archiving transaction would) with the worker's
batches.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from corpus_db import DEFAULT_MBOX, import_in_child, own_postgresql_database, percentile
from sqlalchemy import delete, select
from sqlalchemy import text as sql_text

from archive.models import Message
from forum import create_app
from forum.extensions import db
from forum.search.indexing import reindex
from forum.search.queries import Asked, run_search
from forum.settings import Settings
from search_index import pg_index, pg_rows
from search_index.documents import document, load_rows
from search_index.pg_schema import search_document, search_state

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

# fmt: off
QUERIES = [
    # single words, frequent to rare
    "the", "kernel", "patch", "usrp", "driver", "memory", "error", "decstation", "fpga", "gcc",
    # several words (all must match; adjacent pairs rank higher)
    "cache flush", "page fault", "build error", "sample rate", "linux kernel mips",
    "rfnoc block", "cross compiler", "ethernet driver problem",
    # phrases
    '"page fault"', '"sample rate"', '"make install"', '"cache flush"', '"dự thảo"',
    # OR and exclusion
    "patch OR fix", "x310 OR b210", "memory -kernel", "error -warning", "usrp OR uhd -python",
    # operators
    "from:ralf", "from:marcus", 'from:"Tuan Hoang Dinh"', "subject:patch", "subject:rfnoc",
    "list:bench", "has:attachment", "has:attachment patch", "in:thread:42",
    # dates
    "kernel after:2001-01-01", "on:2000", "before:1999 kernel", "on:2021-03 usrp",
    "after:01/06/2021 fpga",
    # Vietnamese, with and without diacritics
    "đăng ký email", "dang ky email", "giáo dục", "Đình Hoàng", "bán",
    # hostile
    '"unbalanced', "*", "a" * 2000,
]
# fmt: on


def _latencies(settings: Settings, rounds: int, by_date: bool) -> tuple[list[float], int]:
    timings: list[float] = []
    found = 0
    for round_number in range(rounds + 1):
        for text in QUERIES:
            asked = Asked(text, None, per_page=settings.page_size, by_date=by_date)
            started = time.perf_counter()
            page = run_search(db.session(), settings, asked)
            elapsed = time.perf_counter() - started
            if round_number:  # the first round warms the searcher and the caches
                timings.append(elapsed)
                found += page.results.total
    return timings, found // rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mbox", nargs="?", type=Path, default=DEFAULT_MBOX)
    parser.add_argument("--database-url", help="Index this database instead of importing.")
    parser.add_argument("--rounds", type=int, default=3, help="Measured rounds of the queries.")
    parser.add_argument("--backend", choices=("whoosh", "postgres"), default="whoosh")
    parser.add_argument("--server", default=PG_SERVER, help="PostgreSQL server for postgres.")
    args = parser.parse_args()
    assert len(QUERIES) == 50
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        if args.backend == "postgres" and not args.database_url:
            url = stack.enter_context(own_postgresql_database(args.server))
        if not args.database_url:
            seconds = import_in_child(args.mbox, url, Path(tmp))
            print(f"mbox:        {args.mbox.name} imported in {seconds:.1f} s")
        settings = Settings(
            data_dir=Path(tmp), database_url=url, secret_key="bench", search_backend=args.backend
        )
        app = create_app(settings)
        with app.app_context():
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            count = reindex(db.session(), settings)
            elapsed = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            size = _index_size(settings)
            print(f"indexed:     {count} messages in {elapsed:.1f} s")
            print(f"throughput:  {count / elapsed:,.0f} documents/s")
            before = f"before indexing: {rss_before / 1024:,.0f} MiB"
            print(f"peak RSS:    {peak / 1024:,.0f} MiB ({before})")
            print(f"index size:  {size / 2**20:,.1f} MiB")
            for by_date in (False, True):
                timings, found = _latencies(settings, args.rounds, by_date)
                order = "newest first" if by_date else "by relevance"
                print(
                    f"queries ({order}): {len(QUERIES)} x {args.rounds}, "
                    f"{found:,} results per round; "
                    f"p50 {percentile(timings, 0.5) * 1000:.1f} ms, "
                    f"p95 {percentile(timings, 0.95) * 1000:.1f} ms, "
                    f"max {max(timings) * 1000:.1f} ms"
                )
            if args.backend == "postgres":
                _compare_indexing(settings)


def _index_size(settings: Settings) -> int:
    if settings.search_backend == "postgres":
        query = "SELECT pg_total_relation_size('search_document')"
        return int(db.session.scalar(sql_text(query)) or 0)
    return sum(p.stat().st_size for p in (settings.data_dir / "search-index").iterdir())


def _compare_indexing(settings: Settings, count: int = 500) -> None:
    """Indexing the same messages one per transaction (what the archiving transaction would
    add to each message) and in one worker batch."""
    pks = list(db.session.scalars(select(Message.id).order_by(Message.id).limit(count)))
    started = time.perf_counter()
    for pk in pks:
        pg_rows.put(db.session(), [document(row) for row in load_rows(db.session(), [pk])])
        db.session.commit()
    single = (time.perf_counter() - started) / len(pks)
    db.session.execute(delete(search_state))
    db.session.execute(delete(search_document).where(search_document.c.message_pk.in_(pks)))
    db.session.commit()
    started = time.perf_counter()
    indexed = pg_index.index_new(db.session(), limit=len(pks))
    batch = (time.perf_counter() - started) / max(1, indexed)
    print(
        f"indexing {len(pks)} messages: one per transaction {single * 1000:.2f} ms each, "
        f"in a worker batch {batch * 1000:.2f} ms each"
    )


if __name__ == "__main__":
    main()
