"""What the benchmarks share: a corpus mbox imported into a fresh database, and percentiles."""

from __future__ import annotations

import multiprocessing
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from forum import create_app
from forum.cli.migrations import upgrade_schema
from forum.extensions import db
from forum.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("FORUM_CORPUS_DIR") or ROOT.parent / "shared" / "corpus")
DEFAULT_MBOX = CORPUS / "lists" / "linux-mips-1996-2002.mbox.xz"
LIST_NAME = "bench"


def import_in_child(mbox: Path, url: str, data_dir: Path) -> float:
    """Import the mbox into list `bench` in a child process (so that the caller's peak RSS is
    its own); returns the seconds it took."""
    started = time.perf_counter()
    child = multiprocessing.get_context("spawn")
    process = child.Process(target=_import, args=(mbox, url, data_dir))
    process.start()
    process.join()
    if process.exitcode != 0:
        raise SystemExit(f"importing {mbox} failed (exit {process.exitcode})")
    return time.perf_counter() - started


def _import(mbox: Path, url: str, data_dir: Path) -> None:
    from archive.importer import import_parsed
    from archive.read_ahead import ReadAhead
    from forum.lists.lists import ListSpec, ensure_list

    settings = Settings(data_dir=data_dir, database_url=url, secret_key="bench")
    app = create_app(settings)
    with app.app_context():
        upgrade_schema()
        mlist, _ = ensure_list(db.session(), ListSpec(LIST_NAME, LIST_NAME, ""), "bench.test")
        db.session.commit()
        with ReadAhead(mbox) as read:
            import_parsed(db.session(), mlist.id, read.batches())


@contextmanager
def own_postgresql_database(server_url: str) -> Iterator[str]:
    """A new database on the PostgreSQL server `server_url` names, dropped afterwards."""
    server = make_url(server_url)
    name = f"forum_bench_{os.getpid()}_{secrets.token_hex(4)}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def bench_database(url: str | None, folder: Path) -> Iterator[str]:
    """The database a bench writes in: a new SQLite file in `folder` by default; given a
    PostgreSQL server's URL, a new database of its own on that server, dropped afterwards (a
    bench never writes in, or wipes, a database it did not create)."""
    if url is None:
        yield f"sqlite:///{folder}/bench.sqlite3"
    elif url.startswith("postgresql"):
        with own_postgresql_database(url) as own:
            yield own
    else:
        yield url


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages, to print beside any figure, and the
    CPU time of a fixed loop of Python: the same machine kind runs it from one day to the
    next at speeds up to 2.5x apart, so figures are compared with that loop beside them."""
    loads = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{loads} (reference loop {reference_loop_ms():.0f} ms CPU)"


def reference_loop_ms() -> float:
    """Best of three CPU times of a fixed mix of Python work (dicts, strings, integers)."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        counts: dict[str, int] = {}
        for number in range(200_000):
            word = str(number % 997)
            counts[word] = counts.get(word, 0) + number * 3 // 7
        best = min(best, time.process_time() - started)
    return best * 1000
