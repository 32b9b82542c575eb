"""Workers on PostgreSQL: messages/s archived and recipients/s delivered with 1, 2 and 4
`forum worker` processes claiming the same queues.

Usage: python bench/workers.py [--posts N] [--members N] [--workers 1,2,4] [--server URL]
For each count, a new database on the PostgreSQL server (dropped afterwards) gets a list of
N members and the posts in its inbound queue; the workers (real processes, search indexed by
the PostgreSQL backend) archive them and send every copy to a local aiosmtpd sink in its own
process. Messages/s: posts archived over the time until the last one was; recipients/s: copies
accepted by the sink over the time from the first to the last.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus_db import own_postgresql_database
from fanout import _free_port, _sink
from sqlalchemy import func, select

from forum import create_app
from forum.cli.migrations import upgrade_schema
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from forum.mail.inbound import enqueue_inbound
from forum.settings import Settings

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
ROOT = Path(__file__).resolve().parent.parent


def _post(n: int) -> bytes:
    return (
        f"From: member{n % 7:05d}@school.edu.vn\nTo: thpt@bench.test\nSubject: Bài {n}\n"
        f"Message-ID: <post{n}@school.edu.vn>\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        + "Kính gửi các trường, lịch họp tháng 12 như sau.\n"
        * 10
    ).encode()


def _prepare(settings: Settings, posts: int, members: int) -> None:
    app = create_app(settings)
    with app.app_context():
        upgrade_schema()
        mlist, _ = ensure_list(db.session(), ListSpec("thpt", "THPT", ""), "bench.test")
        for n in range(members):
            add_member(db.session(), mlist, f"member{n:05d}@school.edu.vn")
        db.session.commit()
        for n in range(posts):
            enqueue_inbound(db.session(), _post(n), "x@school.edu.vn", ["thpt@bench.test"])
        db.session.remove()
        db.engine.dispose()


def _archived(settings: Settings) -> int:
    from archive.models import Message

    app = create_app(settings)
    with app.app_context():
        count = int(db.session.scalar(select(func.count(Message.id))) or 0)
        db.session.remove()
        db.engine.dispose()
    return count


def _run(server: str, workers: int, posts: int, members: int) -> tuple[float, float]:
    with own_postgresql_database(server) as url, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=url, secret_key="bench")
        _prepare(settings, posts, members)
        port = _free_port()
        counts = multiprocessing.Array("d", 3)
        ready = multiprocessing.Event()
        sink = multiprocessing.Process(target=_sink, args=(port, counts, ready), daemon=True)
        sink.start()
        ready.wait()
        env = {
            **os.environ,
            "FORUM_DATABASE_URL": url,
            "FORUM_DATA_DIR": tmp,
            "FORUM_SECRET_KEY": "bench",
            "FORUM_DOMAIN": "bench.test",
            "FORUM_SEARCH_BACKEND": "postgres",
            "FORUM_SMTP_URL": f"smtp://127.0.0.1:{port}",
            "FORUM_LOG_LEVEL": "WARNING",
        }
        forum = str(Path(sys.executable).with_name("forum"))
        started = time.time()
        command = [forum, "worker"]  # our own console script
        running = [subprocess.Popen(command, env=env, cwd=ROOT) for _ in range(workers)]  # noqa: S603
        archived_at = 0.0
        try:
            while counts[0] < posts * members:
                if not archived_at and _archived(settings) >= posts:
                    archived_at = time.time()
                time.sleep(0.2)
        finally:
            for process in running:
                process.terminate()
            for process in running:
                process.wait(timeout=30)
            sink.terminate()
        archived_at = archived_at or time.time()
        return posts / (archived_at - started), counts[0] / max(0.001, counts[2] - counts[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--server", default=PG_SERVER)
    args = parser.parse_args()
    for workers in (int(n) for n in args.workers.split(",")):
        messages, recipients = _run(args.server, workers, args.posts, args.members)
        print(
            f"{workers} worker(s): {messages:,.0f} messages/s archived, "
            f"{recipients:,.0f} recipients/s delivered "
            f"({args.posts} posts to {args.members} members)"
        )


if __name__ == "__main__":
    main()
