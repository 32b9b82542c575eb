"""Search benchmark: indexing documents/s and peak RSS, then p50/p95 per class of query at a
quarter, half and all of the corpus.

Usage: python bench/search.py [MBOX] [--rounds N] [--mixed]
       python bench/search.py --backend postgres [...]  (bench/search_postgres.py: the
       PostgreSQL backend, and indexing in the archiving transaction against the worker's)
Default MBOX: linux-mips from $FORUM_CORPUS_DIR (or ../shared/corpus), imported first into a
new SQLite database (in a child process). `forum reindex`'s work (a full rebuild) is timed in
a child process of its own, so that the peak RSS printed is the indexing's alone (and the
second writer's, the process that writes the older half of the messages, beside it). Then the
index is built again a quarter of the messages at a time (oldest first), and after the first
quarter, the half and all, each query runs as a results page does (search, facets and 25
hits, then the snippets from the stored bodies), every query once to warm up and then
--rounds times. Hit counts show how each class grows with the archive. --mixed also runs the
older list of 50 mixed queries (operators, dates, Vietnamese, hostile input).
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

from corpus_db import DEFAULT_MBOX, import_in_child, load_average, percentile
from sqlalchemy import func, select

from archive.models import Message
from forum import create_app
from forum.extensions import db
from forum.search.indexing import index_dir, reindex
from forum.search.queries import Asked, run_search
from forum.settings import Settings
from search_index.sync import index_new

# The classes of the performance targets; the words suit linux-mips and usrp-users alike.
CLASSES: dict[str, list[str]] = {
    "common": ["the", "to"],
    "frequent": ["linux", "kernel", "usrp"],
    "medium": ["memory", "driver", "error"],
    "rare": ["decstation", "fpga", "tlb"],
    "two-term": ["linux mips", "cache flush", "sample rate"],
    "phrase": ['"linux mips"', '"page fault"', '"sample rate"', '"make install"'],
    "no-hit": ["zyxwvut", "qqqzzz kernel"],
}
# fmt: off
MIXED = [
    "patch OR fix", "x310 OR b210", "memory -kernel", "error -warning", "usrp OR uhd -python",
    "from:ralf", "from:marcus", 'from:"Tuan Hoang Dinh"', "subject:patch", "subject:rfnoc",
    "list:bench", "has:attachment", "has:attachment patch", "in:thread:42",
    "kernel after:2001-01-01", "on:2000", "before:1999 kernel", "on:2021-03 usrp",
    "after:01/06/2021 fpga", "đăng ký email", "dang ky email", "giáo dục", "Đình Hoàng", "bán",
    '"dự thảo"', '"unbalanced', "*", "a" * 2000,
]
# fmt: on


def _time(
    settings: Settings, texts: list[str], rounds: int
) -> tuple[list[float], list[float], list[int]]:
    """Wall and CPU seconds per query (after one warm-up run of each), and hit counts. On a
    shared machine the CPU time is the steadier figure: waits for a core are not in it."""
    timings: list[float] = []
    cpu: list[float] = []
    hits: list[int] = []
    for round_number in range(rounds + 1):
        for text in texts:
            asked = Asked(text, None, per_page=settings.page_size)
            started, cpu_started = time.perf_counter(), time.thread_time()
            page = run_search(db.session(), settings, asked)
            elapsed, cpu_used = time.perf_counter() - started, time.thread_time() - cpu_started
            if round_number:
                timings.append(elapsed)
                cpu.append(cpu_used)
            else:
                hits.append(page.results.total)
    return timings, cpu, hits


def _rebuild(url: str, data_dir: str, answer: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    settings = Settings(data_dir=Path(data_dir), database_url=url, secret_key="bench")
    app = create_app(settings)
    with app.app_context():
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started, cpu = time.perf_counter(), time.process_time()
        count = reindex(db.session(), settings)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        helper = resource.getrusage(resource.RUSAGE_CHILDREN)
    answer.put(
        (
            count,
            elapsed,
            cpu,
            rss_before / 1024,
            peak / 1024,
            helper.ru_utime + helper.ru_stime,
            helper.ru_maxrss / 1024,
        )
    )


def main() -> None:
    if "--backend" in sys.argv:  # whoosh or postgres, side by side on one database
        import search_postgres

        search_postgres.main()
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mbox", nargs="?", type=Path, default=DEFAULT_MBOX)
    parser.add_argument("--rounds", type=int, default=5, help="Measured rounds of the queries.")
    parser.add_argument("--mixed", action="store_true", help="Also the 50 mixed queries.")
    args = parser.parse_args()
    print(f"load:        {load_average()} (before)")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        seconds = import_in_child(args.mbox, url, Path(tmp))
        print(f"mbox:        {args.mbox.name} imported in {seconds:.1f} s")
        spawn = multiprocessing.get_context("spawn")
        answer = spawn.Queue()
        child = spawn.Process(target=_rebuild, args=(url, tmp, answer))
        child.start()
        count, elapsed, cpu, before, peak, helper_cpu, helper_peak = answer.get()
        child.join()
        print(
            f"reindex:     {count} messages in {elapsed:.1f} s ({count / elapsed:,.0f} docs/s), "
            f"CPU {cpu:.1f} s + {helper_cpu:.1f} s in the second writer "
            f"({count / (cpu + helper_cpu):,.0f} docs per CPU second)"
        )
        print(
            f"peak RSS:    {peak:,.0f} MiB (before indexing: {before:,.0f} MiB); "
            f"second writer {helper_peak:,.0f} MiB"
        )
        settings = Settings(data_dir=Path(tmp), database_url=url, secret_key="bench")
        size = sum(p.stat().st_size for p in index_dir(settings).iterdir())
        print(f"index size:  {size / 2**20:,.1f} MiB")
        app = create_app(settings)
        with app.app_context():
            _by_share(settings, args.rounds, args.mixed)
    print(f"load:        {load_average()} (after)")


def _by_share(settings: Settings, rounds: int, mixed: bool) -> None:
    total = db.session.scalar(select(func.count()).select_from(Message)) or 0
    for path in index_dir(settings).iterdir():
        path.unlink()
    indexed = 0
    for share, label in ((4, "1/4"), (2, "1/2"), (1, "all")):
        wanted = total // share
        while indexed < wanted:
            done = index_new(db.session(), index_dir(settings), limit=wanted - indexed)
            indexed += done
            if not done:
                break
        print(f"--- {label} of the corpus ({indexed:,} messages), {load_average()}")
        classes = dict(CLASSES, mixed=MIXED) if mixed else CLASSES
        for name, texts in classes.items():
            timings, cpu, hits = _time(settings, texts, rounds)
            counts = "" if name == "mixed" else ", ".join(f"{h:,}" for h in hits)
            print(
                f"  {name:9} p50 {percentile(timings, 0.5) * 1000:6.1f} ms  "
                f"p95 {percentile(timings, 0.95) * 1000:6.1f} ms  "
                f"(CPU p50 {percentile(cpu, 0.5) * 1000:5.1f}, "
                f"p95 {percentile(cpu, 0.95) * 1000:5.1f})  hits {counts}"
            )


if __name__ == "__main__":
    main()
