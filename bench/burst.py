"""Fan-out during an inbound burst: does delivery keep its pace while posts pour in?

Usage: python bench/burst.py [--posts N] [--members N] [--database-url URL]
First the idle figure: posts already archived, the worker only delivering. Then the burst:
N posts land in the inbound queue at once and the worker (its inbound, delivery and periodic
loops, as `forum worker` runs them) archives and fans them out; copies/s is measured while the
inbound queue still holds posts. Prints both rates and their ratio (the target: within 2x).
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from corpus_db import bench_database
from fanout import _add_members, _free_port, _sink
from sqlalchemy import func, select

from archive.parse import parse_message
from forum import create_app
from forum.cli.migrations import upgrade_schema
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from forum.mail.inbound import enqueue_inbound
from forum.models import InboundMessage, InboundState
from forum.posting.accepting import accept
from forum.runner import run_worker
from forum.settings import Settings

AUTHOR = "hieutruong@school.edu.vn"


def _post(n: int, tag: str) -> bytes:
    return (
        f"From: Hiệu trưởng <{AUTHOR}>\nTo: thpt@bench.test\nSubject: Thông báo {tag} {n}\n"
        f"Message-ID: <{tag}-{n}@school.edu.vn>\nDate: Wed, 25 Nov 2026 08:00:00 +0700\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n\n" + "Kính gửi các trường, lịch họp như sau.\n" * 20
    ).encode()


def _waiting() -> int:
    db.session.rollback()
    query = select(func.count(InboundMessage.id)).where(InboundMessage.state == InboundState.QUEUED)
    return int(db.session.scalar(query) or 0)


def _run(app: Any, counts: Any, target: float, during_burst: bool) -> tuple[float, float]:
    """Run the worker until `target` copies were accepted; (copies/s overall, during burst)."""
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(app, stop, 0.05))
    start_count, started = counts[0], time.time()
    worker.start()
    burst_rate = 0.0
    with app.app_context():
        while counts[0] - start_count < target:
            time.sleep(0.1)
            if during_burst and not burst_rate and not _waiting():
                burst_rate = (counts[0] - start_count) / (time.time() - started)
    stop.set()
    worker.join()
    overall = (counts[0] - start_count) / (time.time() - started)
    return overall, burst_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--idle-posts", type=int, default=100)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    port = _free_port()
    counts = multiprocessing.Array("d", 3)
    ready = multiprocessing.Event()
    sink = multiprocessing.Process(target=_sink, args=(port, counts, ready), daemon=True)
    sink.start()
    ready.wait(10)
    with (
        tempfile.TemporaryDirectory() as tmp,
        bench_database(args.database_url, Path(tmp)) as url,
    ):
        settings = Settings(
            data_dir=Path(tmp),
            database_url=url,
            secret_key="bench",
            domain="bench.test",
            smtp_url=f"smtp://127.0.0.1:{port}",
        )
        app = create_app(settings)
        with app.app_context():
            upgrade_schema()
            mlist, _ = ensure_list(db.session(), ListSpec("thpt", "THPT", ""), "bench.test")
            add_member(db.session(), mlist, AUTHOR)
            _add_members(mlist.id, args.members - 1)
            db.session.commit()
            for n in range(args.idle_posts):
                raw = _post(n, "idle")
                accept(db.session(), settings, mlist, raw, parse_message(raw), None)
            db.session.commit()
        idle, _ = _run(app, counts, args.idle_posts * args.members, during_burst=False)
        with app.app_context():
            for n in range(args.posts):
                enqueue_inbound(db.session(), _post(n, "burst"), AUTHOR, ["thpt@bench.test"])
        overall, burst = _run(app, counts, args.posts * args.members, during_burst=True)
    sink.terminate()
    print(f"members:             {args.members}")
    print(f"idle delivery:       {idle:,.0f} copies/s ({args.idle_posts} posts already archived)")
    print(f"during the burst:    {burst:,.0f} copies/s (while {args.posts} posts were processed)")
    print(f"whole burst:         {overall:,.0f} copies/s until the last copy")
    print(f"ratio idle / burst:  {idle / burst if burst else float('inf'):.2f} (target: at most 2)")


if __name__ == "__main__":
    main()
