"""Import benchmark: messages/s, CPU seconds and peak RSS, timed two ways on fresh databases.

Usage: python bench/import_mbox.py [MBOX] [--database-url URL] [--batch-size N] [--limit N]
       [--no-command]
Default MBOX: linux-mips from $FORUM_CORPUS_DIR (or ../shared/corpus). First the whole command
as a user runs it (`forum init`, then `forum import-mbox LIST MBOX --create-list --quiet`:
process start, imports and app set-up included; only the import is timed), then the import
in this process. Reading and parsing (ahead, in a child process, as the command does),
threading and storage are all included. With --database-url (an empty PostgreSQL database,
say), both runs use it: the bench drops its tables after each.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus_db import DEFAULT_MBOX, bench_database, load_average

from archive.importer import import_parsed
from archive.read_ahead import ReadAhead
from forum import create_app
from forum.cli.migrations import upgrade_schema
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def _forum() -> str:
    beside = Path(sys.executable).with_name("forum")
    return str(beside) if beside.exists() else (shutil.which("forum") or "forum")


def whole_command(mbox: Path, url: str, data_dir: Path) -> tuple[float, float, str]:
    """`forum import-mbox` in a new process: wall seconds, CPU seconds, its summary line."""
    env = {
        **os.environ,
        "FORUM_DATA_DIR": str(data_dir),
        "FORUM_DATABASE_URL": url,
        "FORUM_SECRET_KEY": "bench",
        "FORUM_DOMAIN": "bench.test",
    }
    subprocess.run([_forum(), "init"], env=env, check=True, capture_output=True)  # noqa: S603
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [_forum(), "import-mbox", "bench", str(mbox), "--create-list", "--quiet"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mbox", nargs="?", type=Path, default=DEFAULT_MBOX)
    parser.add_argument("--database-url")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--limit", type=int, help="Import only the first N messages (to compare peak memory)."
    )
    parser.add_argument("--no-command", action="store_true", help="Only the in-process run.")
    args = parser.parse_args()
    print(f"mbox:        {args.mbox.name}")
    print(f"load:        {load_average()} (before)")
    if not args.no_command and args.limit is None:
        with (
            tempfile.TemporaryDirectory() as tmp,
            bench_database(args.database_url, Path(tmp)) as url,
        ):
            elapsed, cpu, summary = whole_command(args.mbox, url, Path(tmp))
        seen = int(summary.split()[0])
        print(f"command:     {summary}")
        print(
            f"  whole process: {elapsed:.1f} s, {seen / elapsed:,.0f} messages/s; "
            f"CPU {cpu:.1f} s ({seen / cpu:,.0f} messages per CPU second)"
        )
    with (
        tempfile.TemporaryDirectory() as tmp,
        bench_database(args.database_url, Path(tmp)) as url,
    ):
        settings = Settings(data_dir=Path(tmp), database_url=url, secret_key="bench")
        app = create_app(settings)
        with app.app_context():
            upgrade_schema()
            mlist, _ = ensure_list(db.session(), ListSpec("bench", "bench", ""), "bench.test")
            db.session.commit()
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            started, cpu_started = time.perf_counter(), time.process_time()
            with ReadAhead(args.mbox, args.limit) as read:
                ahead = read.ahead
                report = import_parsed(
                    db.session(), mlist.id, read.batches(), batch_size=args.batch_size
                )
                parsed_here = read.parsed_here
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            child_cpu = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
            db.session.remove()
            db.engine.dispose()
    print(f"database:    {url.split(':', 1)[0]}")
    print(
        f"in process:  {report.seen} read, {report.imported} imported, "
        f"{report.duplicates} duplicates, {report.flagged} flagged"
    )
    print(f"  time:        {elapsed:.1f} s, CPU {cpu:.1f} s here, {child_cpu:.1f} s in children")
    where = "ahead, in a child process" if ahead else "in this process"
    print(f"  parsing:     {where} ({parsed_here} messages parsed here)")
    print(f"  throughput:  {report.seen / elapsed:,.0f} messages/s")
    print(f"  peak RSS:    {peak / 1024:,.0f} MiB (before import: {rss_before / 1024:,.0f} MiB)")
    print(f"load:        {load_average()} (after)")


if __name__ == "__main__":
    main()
