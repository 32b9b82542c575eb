"""Memory benchmark: the resident size of one `forum serve` process after mixed requests.

Usage: python bench/memory.py [MBOX] [--requests N] [--backlog]
Default MBOX: linux-mips from $FORUM_CORPUS_DIR (or ../shared/corpus), imported into a new
SQLite database (in a child process), its attachments read and the whole indexed, as
`forum reindex` does (--backlog leaves the attachments for the worker of `forum serve` to
read while the requests run: 754 of them, in the same process). Then `forum serve` (web,
SMTP server and worker in one process, as `make run` starts it) serves N requests (1,000 by
default) over HTTP, one after another: list pages, months, threads, messages, feeds and
searches, in a seeded random mix. Prints the RSS after start-up, every 250 requests and at
the end, and the peak (VmHWM), read from /proc.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from corpus_db import DEFAULT_MBOX, LIST_NAME, import_in_child, load_average
from sqlalchemy import select

from archive.models import Message, Thread
from forum import create_app
from forum.extensions import db
from forum.search.attachments import reextract
from forum.search.indexing import reindex
from forum.settings import Settings

SEARCHES = [
    "kernel", "linux mips", '"linux mips"', "the", "decstation", "cache flush", "patch OR fix",
    "from:ralf", "subject:patch", "memory -kernel", "kernel after:2001-01-01", "zyxwvut",
    '"page fault"', "addition", "giáo dục",
]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _prepare(mbox: Path, url: str, data_dir: Path, backlog: bool) -> list[str]:
    import_in_child(mbox, url, data_dir)
    settings = Settings(data_dir=data_dir, database_url=url, secret_key="bench")
    app = create_app(settings)
    with app.app_context():
        if not backlog:  # as `forum reindex` does: the attachments' text read first
            reextract(db.session(), settings)
        reindex(db.session(), settings)
        threads = db.session.execute(select(Thread.id, Thread.last_activity)).all()
        hashes = db.session.scalars(select(Message.message_id_hash)).all()
    picked = random.Random(11)
    base = f"/lists/{LIST_NAME}"
    pages = max(1, len(threads) // 25)
    paths: list[str] = []
    for _ in range(4000):
        kind = picked.random()
        if kind < 0.3:
            paths.append(f"{base}/message/{picked.choice(hashes)}/")
        elif kind < 0.55:
            paths.append(f"{base}/thread/{picked.choice(threads).id}/")
        elif kind < 0.65:
            paths.append(f"{base}/?page={picked.randint(1, pages)}")
        elif kind < 0.72:
            paths.append(f"{base}/{picked.choice(threads).last_activity:%Y-%m}/")
        elif kind < 0.74:
            paths.append(f"{base}/feed.atom")
        else:
            query = urllib.request.quote(picked.choice(SEARCHES))
            paths.append(f"/search?q={query}&page={picked.choice([1, 1, 1, 2])}")
    return paths


def _rss(pid: int) -> tuple[float, float, float, float]:
    """(VmRSS, VmHWM, RssAnon, RssFile) of the process, in MiB. RssFile is mostly the search
    index's files, mapped by Whoosh: page cache the kernel may drop, not the process's own."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = int(value.split()[0]) / 1024 if value.strip().endswith("kB") else 0.0
    return fields["VmRSS"], fields["VmHWM"], fields["RssAnon"], fields["RssFile"]


def _shown(pid: int) -> str:
    rss, peak, anon, file = _rss(pid)
    return f"RSS {rss:,.0f} MiB (peak {peak:,.0f}; anonymous {anon:,.0f}, files {file:,.0f})"


def _forum() -> str:
    beside = Path(sys.executable).with_name("forum")
    return str(beside) if beside.exists() else (shutil.which("forum") or "forum")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mbox", nargs="?", type=Path, default=DEFAULT_MBOX)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument(
        "--backlog",
        action="store_true",
        help="Leave the attachments unread: the worker reads them all while requests run.",
    )
    args = parser.parse_args()
    print(f"load:      {load_average()} (before)")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        paths = _prepare(args.mbox, url, Path(tmp), args.backlog)
        web = _free_port()
        env = {
            **os.environ,
            "FORUM_DATA_DIR": tmp,
            "FORUM_DATABASE_URL": url,
            "FORUM_SECRET_KEY": "bench",
            "FORUM_DOMAIN": "bench.test",
            "FORUM_WEB_PORT": str(web),
            "FORUM_SMTPD_PORT": str(_free_port()),
            "FORUM_LOG_LEVEL": "WARNING",
        }
        with (Path(tmp) / "serve.log").open("wb") as log:
            server = subprocess.Popen(  # noqa: S603
                [_forum(), "serve"], env=env, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            _drive(server.pid, f"http://127.0.0.1:{web}", paths, args.requests)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"load:      {load_average()} (after)")


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - our own server
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def _drive(pid: int, base: str, paths: list[str], requests: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(base + "/")
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
    print(f"started:   {_shown(pid)}")
    statuses: dict[int, int] = {}
    started = time.perf_counter()
    for number, path in enumerate(paths[:requests], start=1):
        status = _get(base + path)
        statuses[status] = statuses.get(status, 0) + 1
        if number % 250 == 0:
            print(f"{number:5} requests: {_shown(pid)}")
    elapsed = time.perf_counter() - started
    print(f"statuses:  {dict(sorted(statuses.items()))}; {requests / elapsed:,.0f} requests/s")
    print(f"after {requests:,} requests: {_shown(pid)}")


if __name__ == "__main__":
    multiprocessing.freeze_support()
    main()
