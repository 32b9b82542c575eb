"""Page benchmark: p50/p95 latency of the web archive's pages over a whole corpus.

Usage: python bench/pages.py [MBOX] [--rounds N]
Default MBOX: ../shared/corpus/lists/linux-mips-1996-2002.mbox.xz, imported into a new SQLite
database (in a child process) and indexed for the search page. Each page is asked for through
the whole Flask stack (routing, queries, templates, in Vietnamese) with Flask's test client, so
the figures are the server's time per page, without the network.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from corpus_db import DEFAULT_MBOX, LIST_NAME, import_in_child, percentile
from sqlalchemy import func, select

from archive.models import MailingList, Message, Thread
from forum import create_app
from forum.extensions import db
from forum.search.indexing import reindex
from forum.settings import Settings

SAMPLE = 50  # messages and threads picked at random (seeded) for their own pages


def _pages(settings: Settings) -> dict[str, list[str]]:
    """The addresses to time, by kind of page."""
    session = db.session()
    mlist = session.scalars(select(MailingList).where(MailingList.name == LIST_NAME)).one()
    base = f"/lists/{mlist.name}"
    threads = session.scalars(select(Thread).where(Thread.list_id == mlist.id)).all()
    pages_of_threads = max(1, -(-len(threads) // settings.page_size))
    busiest_month = session.execute(
        select(func.min(Thread.last_activity))
        .where(Thread.list_id == mlist.id)
        .group_by(func.strftime("%Y-%m", Thread.last_activity))
        .order_by(func.count().desc())
        .limit(1)
    ).scalar_one()
    biggest = max(threads, key=lambda t: t.message_count)
    hashes = session.scalars(select(Message.message_id_hash).where(Message.list_id == mlist.id))
    picked = random.Random(7)
    return {
        "site index": ["/"],
        "list, page 1": [f"{base}/"],
        "list, last page": [f"{base}/?page={pages_of_threads}"],
        "busiest month": [f"{base}/{busiest_month:%Y-%m}/"],
        f"biggest thread ({biggest.message_count} msgs)": [f"{base}/thread/{biggest.id}/"],
        "threads (random)": [
            f"{base}/thread/{t.id}/" for t in picked.sample(threads, min(SAMPLE, len(threads)))
        ],
        "messages (random)": [f"{base}/message/{h}/" for h in picked.sample(list(hashes), SAMPLE)],
        "search": [f"/search?q={q}" for q in ("kernel", "cache+flush", "patch+OR+fix")],
        "Atom feed": [f"{base}/feed.atom"],
    }


def _timed(get: Callable[[str], tuple[int, int]], paths: list[str], rounds: int) -> list[float]:
    for path in paths:  # warm the caches once
        status, _size = get(path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    timings = []
    for _round in range(rounds):
        for path in paths:
            started = time.perf_counter()
            get(path)
            timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mbox", nargs="?", type=Path, default=DEFAULT_MBOX)
    parser.add_argument("--rounds", type=int, default=5, help="Measured rounds of each page.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        seconds = import_in_child(args.mbox, url, Path(tmp))
        print(f"mbox: {args.mbox.name} imported in {seconds:.1f} s")
        settings = Settings(data_dir=Path(tmp), database_url=url, secret_key="bench")
        app = create_app(settings)
        client = app.test_client()

        def get(path: str) -> tuple[int, int]:
            response = client.get(path)
            return response.status_code, len(response.get_data())

        with app.app_context():
            reindex(db.session(), settings)
            pages = _pages(settings)
        print(f"{'page':32} {'asked':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for kind, paths in pages.items():
            timings = _timed(get, paths, args.rounds)
            print(
                f"{kind:32} {len(timings):6} {percentile(timings, 0.5) * 1000:8.1f} "
                f"{percentile(timings, 0.95) * 1000:8.1f} {max(timings) * 1000:8.1f}"
            )


if __name__ == "__main__":
    main()
