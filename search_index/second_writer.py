"""A second process writing the first half of a rebuild's messages into an index segment of
its own, while the rebuilding process writes the rest: analysis and Whoosh's postings writer
are pure Python, one core each, and a server has a second core.

The child is a new interpreter running this module (the rebuilding process may run threads, a
progress bar's say, which a forked child could deadlock on; and unlike multiprocessing's spawn,
nothing of the caller's own script runs again in it). It talks with the parent over a socket
pair, reads its messages from the database itself and writes its segment without the index's
lock, which the parent holds, and dies with the parent (`die_with_parent`); the parent
commits that segment ahead of its own, so the documents number as one writer numbers them.
If the child fails or dies, the parent indexes its half too: the same index, only slower.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from archive.models import Message
from archive.orphans import die_with_parent
from search_index.documents import document, iter_rows
from search_index.indexer import WRITER_MEMORY_MB, add_documents, open_unmapped
from search_index.segment_writer import LeanSegmentWriter

HELPER_FROM = 2_000  # messages in a rebuild: fewer, and starting the child costs more than it saves
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Part:
    """The child's work: the messages up to pk `through`, into the index in `folder`."""

    database_url: str
    folder: str
    through: int
    zone: tzinfo
    parent: int


@dataclass(frozen=True, slots=True)
class Written:
    segment: Any  # Whoosh's segment, None when the part had no message left
    count: int


@dataclass(slots=True)
class SecondWriter:
    """The parent's side: the child's progress, told to `progress` as it comes, then its
    segment, or the same segment written here when the child failed or died."""

    process: subprocess.Popen[bytes]
    connection: Connection
    part: Part
    session: Session
    progress: Callable[[int], None] | None
    outcome: Written | None = None
    over: bool = False

    @property
    def count(self) -> int:
        """Messages the older half held (once `segment` returned)."""
        return self.outcome.count if self.outcome is not None else 0

    def tell_progress(self) -> None:
        """Pass on what the child reported since last asked, without waiting."""
        while not self.over and self.connection.poll():
            self._receive()

    def segment(self) -> Any | None:
        """The older half's segment, once the child has written it (for `adopt`)."""
        while not self.over:
            self._receive()
        self.stop()
        if self.outcome is None:
            self.outcome = write_part(self.session, self.part, self.progress)
        return self.outcome.segment

    def stop(self) -> None:
        self.over = True
        self.connection.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def _receive(self) -> None:
        try:
            message = self.connection.recv()
        except (EOFError, OSError):
            log.warning("the second index writer died (exit code %s)", self.process.wait())
            self.over = True
            return
        if isinstance(message, int):
            if self.progress is not None:
                self.progress(message)
            return
        self.over = True
        if isinstance(message, Written):
            self.outcome = message
        else:
            log.warning("the second index writer failed: %s; its half is indexed here", message)


def start_second_writer(
    session: Session,
    folder: Path,
    zone: tzinfo,
    progress: Callable[[int], None] | None = None,
) -> SecondWriter | None:
    """A child writing the older half of all messages, or None where it would not help: a
    single core, fewer than HELPER_FROM messages, or a database only this process sees."""
    url = session.get_bind().engine.url
    if _cores() < 2 or private_database(url):
        return None
    total = session.scalar(select(func.count()).select_from(Message)) or 0
    if total < max(HELPER_FROM, 2):
        return None
    query = select(Message.id).order_by(Message.id).offset(total // 2 - 1).limit(1)
    through = session.scalar(query)
    if through is None:
        return None
    part = Part(url.render_as_string(hide_password=False), str(folder), through, zone, os.getpid())
    ours, theirs = socket.socketpair()
    try:
        process = subprocess.Popen(  # noqa: S603 - this interpreter, this module
            [sys.executable, "-m", __name__, str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": _search_path()},
        )
    except OSError:
        ours.close()
        return None
    finally:
        theirs.close()
    helper = SecondWriter(process, Connection(ours.detach()), part, session, progress)
    try:
        helper.connection.send(part)
    except OSError:  # it died at once: one process does it all
        helper.stop()
        return None
    return helper


def _search_path() -> str:
    """The caller's PYTHONPATH with this project's folder first (whatever the working
    directory, the child imports this very code)."""
    project = str(Path(__file__).resolve().parents[1])
    return os.pathsep.join(p for p in (project, os.environ.get("PYTHONPATH", "")) if p)


def _cores() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def private_database(url: URL | str) -> bool:
    """An in-memory SQLite database: another process would open an empty one."""
    url = make_url(url)
    database = url.database or ""
    return url.get_backend_name() == "sqlite" and (
        database in ("", ":memory:") or "mode=memory" in str(url)
    )


def _write_part(sender: Connection) -> None:
    """The child: its messages into a segment, reporting each batch; a failure is reported
    as text (the parent indexes the half itself)."""
    try:
        part: Part = sender.recv()
    except EOFError:  # the parent died before it said what to do
        return
    die_with_parent(part.parent)
    try:
        sender.send(_write(part, sender.send))
    except Exception as error:  # noqa: BLE001 - whatever it is, the parent redoes the half
        sender.send(f"{type(error).__name__}: {error}")
    finally:
        sender.close()


def _write(part: Part, report: Callable[[int], None]) -> Written:
    engine = create_engine(part.database_url)
    try:
        with Session(engine) as session:
            return write_part(session, part, report)
    finally:
        engine.dispose()


def write_part(session: Session, part: Part, report: Callable[[int], None] | None) -> Written:
    """The part's messages into a segment of their own, written without the lock (whose
    holder adopts it), reporting each batch."""
    writer = LeanSegmentWriter(
        open_unmapped(Path(part.folder)), _lk=False, limitmb=WRITER_MEMORY_MB
    )
    count = 0  # (on an error, what this writer left is the lock holder's to remove)
    for batch in iter_rows(session, through=part.through):
        count += add_documents(writer, (document(row, part.zone) for row in batch))
        if report is not None:
            report(len(batch))
    return Written(writer.finish_unlocked(), count)


def main(handle: int) -> None:
    _write_part(Connection(handle))


if __name__ == "__main__":  # run as a module: its classes are the imported module's
    from search_index import second_writer

    second_writer.main(int(sys.argv[1]))
