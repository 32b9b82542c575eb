"""Import benchmark: messages/s and peak RSS for importing one mbox into a fresh database.

Usage: python bench/import_mbox.py [MBOX] [--database-url URL] [--batch-size N]
Default MBOX: ../shared/corpus/lists/linux-mips-1996-2002.mbox.xz; default database: a new
SQLite file in a temporary folder. Parsing, threading and storage are all included.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import tempfile
import time
from pathlib import Path

from archive.importer import import_messages
from archive.mbox import iter_mbox, open_archive
from forum import create_app
from forum.cli.site_admin import upgrade_schema
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MBOX = ROOT.parent / "shared" / "corpus" / "lists" / "linux-mips-1996-2002.mbox.xz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mbox", nargs="?", type=Path, default=DEFAULT_MBOX)
    parser.add_argument("--database-url")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--limit", type=int, help="Import only the first N messages (to compare peak memory)."
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        settings = Settings(data_dir=Path(tmp), database_url=url, secret_key="bench")
        app = create_app(settings)
        with app.app_context():
            upgrade_schema()
            mlist, _ = ensure_list(db.session(), ListSpec("bench", "bench", ""), "bench.test")
            db.session.commit()
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            with open_archive(args.mbox) as stream:
                messages = itertools.islice(iter_mbox(stream), args.limit)
                report = import_messages(
                    db.session(), mlist.id, messages, batch_size=args.batch_size
                )
            elapsed = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"mbox:        {args.mbox.name}")
    print(f"database:    {url.split(':', 1)[0]}")
    print(
        f"messages:    {report.seen} read, {report.imported} imported, "
        f"{report.duplicates} duplicates, {report.flagged} flagged"
    )
    print(f"time:        {elapsed:.1f} s")
    print(f"throughput:  {report.seen / elapsed:,.0f} messages/s")
    print(f"peak RSS:    {peak / 1024:,.0f} MiB (before import: {rss_before / 1024:,.0f} MiB)")


if __name__ == "__main__":
    main()
