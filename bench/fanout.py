"""Fan-out benchmark: one post to a list of N members, delivered to a local SMTP sink.

Usage: python bench/fanout.py [--members N] [--connections N] [--batch N] [--database-url URL]
Prints recipients/s from enqueue to the sink's last acceptance, and the time to the first copy.
The sink (aiosmtpd) runs in its own process, as a smarthost would; every copy has its own
VERP envelope sender, so each recipient is one SMTP transaction. In the same run, a bare
smtplib loop sends the same number of copies to the same sink over one connection, each the
very bytes of a copy the sink received (no database, no personalisation): the ratio of the
two is the figure to watch.
"""

from __future__ import annotations

import argparse
import multiprocessing
import smtplib
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from corpus_db import bench_database, load_average
from sqlalchemy import insert, select

from archive.models import Address
from archive.parse import parse_message
from forum import create_app
from forum.cli.migrations import upgrade_schema
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from forum.mail.delivery_pool import deliver_parallel
from forum.models import Member
from forum.posting.accepting import accept
from forum.settings import Settings

POST = (
    "From: Hiệu trưởng <hieutruong@school.edu.vn>\nTo: thpt@bench.test\n"
    "Subject: Thông báo lịch họp\nMessage-ID: <fanout@school.edu.vn>\n"
    "Date: Wed, 25 Nov 2026 08:00:00 +0700\nMIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
    + "Kính gửi các trường,\n\nLịch họp tháng 12 như sau.\n"
    * 20
).encode()


def _sink(port: int, counts: Any, ready: Any, first: Any) -> None:
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            now = time.time()
            with counts.get_lock():
                if counts[0] == 0:
                    counts[1] = now
                    first.put(envelope.original_content)
                counts[0] += len(envelope.rcpt_tos)
                counts[2] = now
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    threading.Event().wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument(
        "--connections",
        "--workers",
        type=int,
        default=4,
        help="SMTP connections in parallel, a delivery thread each",
    )
    parser.add_argument("--batch", type=int, default=100, help="copies per claim")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    port = _free_port()
    counts = multiprocessing.Array("d", 3)  # accepted, first acceptance, last acceptance
    ready = multiprocessing.Event()
    first_copy: Any = multiprocessing.Queue()  # the first copy's bytes, as the sink received them
    sink = multiprocessing.Process(
        target=_sink, args=(port, counts, ready, first_copy), daemon=True
    )
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
            smtp_url=f"smtp://127.0.0.1:{port}",
        )
        app = create_app(settings)
        with app.app_context():
            upgrade_schema()
            mlist, _ = ensure_list(db.session(), ListSpec("thpt", "THPT", ""), "bench.test")
            add_member(db.session(), mlist, "hieutruong@school.edu.vn")
            _add_members(mlist.id, args.members)
            db.session.commit()
            started = time.time()
            outcome = accept(db.session(), settings, mlist, POST, parse_message(POST), None)
            db.session.commit()
            enqueued = time.time()
        report = deliver_parallel(app, settings, connections=args.connections, limit=args.batch)
        with app.app_context():
            db.engine.dispose()
    accepted, first, last = counts[0], counts[1], counts[2]
    copy = first_copy.get(timeout=10)
    bare_rate = _bare_loop(port, counts, int(accepted), copy)
    sink.terminate()
    print(f"post:          {outcome}")
    print(f"database:      {url.split(':', 1)[0]}, {args.connections} SMTP connection(s)")
    if report.deferred or report.failed:
        print(f"not delivered: {report}")
    print(f"accepted:      {accepted:,.0f} copies")
    rows = args.members + 1
    print(f"enqueue:       {enqueued - started:.2f} s (archive, decorate, {rows:,} outbox rows)")
    print(f"first copy:    {first - started:.2f} s after the post")
    print(f"last copy:     {last - started:.2f} s after the post")
    rate = accepted / (last - started)
    print(f"throughput:    {rate:,.0f} recipients/s (from enqueue to the last acceptance)")
    print(f"bare smtplib:  {bare_rate:,.0f} recipients/s (one connection, same sink and bytes)")
    lines = copy.count(b"\n")
    print(f"copy size:     {len(copy):,} bytes, {lines} lines")
    print(f"ratio:         {rate / bare_rate:.2f} of the bare loop")
    print(f"load:          {load_average()}")


def _bare_loop(port: int, counts: Any, copies: int, body: bytes) -> float:
    """The same number of copies of `body`, sent by a plain smtplib loop: recipients/s at
    the sink."""
    with counts.get_lock():
        counts[0] = counts[1] = counts[2] = 0
    started = time.time()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for i in range(copies):
            rcpt = f"giaovien{i:05d}@truong{i % 97}.edu.vn"
            smtp.sendmail(f"thpt-bounces+{rcpt.replace('@', '=')}@bench.test", [rcpt], body)
    return counts[0] / (counts[2] - started)


def _add_members(list_id: int, count: int) -> None:
    emails = [f"giaovien{i:05d}@truong{i % 97}.edu.vn" for i in range(count)]
    db.session.execute(insert(Address), [{"email": e, "display_name": ""} for e in emails])
    ids = db.session.scalars(select(Address.id).where(Address.email.like("giaovien%"))).all()
    db.session.execute(
        insert(Member),
        [{"list_id": list_id, "address_id": i, "role": "member"} for i in ids],
    )


if __name__ == "__main__":
    main()
