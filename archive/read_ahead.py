"""Reading an mbox ahead in a child process: the child decompresses the file, splits it into
messages and parses them, a batch at a time, while this process stores the batches before.

The child is forked as soon as `forum import-mbox` starts, before the application's modules
are imported (most of a second in which the second core had nothing to do), and before any
thread of ours runs (forking a process that runs other threads can leave the child waiting
forever on a lock one of them held; where a thread runs already, or the system cannot fork,
the mbox is read and parsed here). The batches come back in the mbox's order, each with how
much of the file was read by then. When this process has stored everything it has and the
child's next batch is not ready, it asks for it as it stands: the child sends the batch it
is parsing with the messages parsed so far, and this process parses the rest, so neither
waits long for the other, whichever is the slower at its part.

If the child dies (a message that crashed the parser in C, the out-of-memory killer) or
fails (a damaged file), this process reads the mbox again from the first message it did not
receive and parses the rest itself: the same batches, in order, only slower, and the same
error, raised here, where the file itself is bad.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from archive.orphans import die_with_parent

if TYPE_CHECKING:  # (imported where used: the child imports them while the parent starts)
    from archive.mbox import MboxMessage
    from archive.parsed import Parsed, ParsedMessage

PARSED_AT_ONCE = 100  # messages in a batch
AHEAD = 8  # batches the child holds ready that this process has not received, at most
_FAILED = "failed"  # what the child's sending thread gets when reading failed: it stops


@dataclass(slots=True)
class _Batch:
    raws: list[bytes]
    dates: list[datetime | None]  # the dates of their `From ` lines
    parsed: list[ParsedMessage]  # of the first len(parsed) raws
    position: int  # bytes of the file (compressed, if it is) read by the batch's end


class ReadAhead:
    """The batches of an mbox parsed, in order (`batches()`); `position` says how many bytes
    of the file they came from. Use as a context manager: leaving it ends the child."""

    def __init__(self, path: Path, limit: int | None = None) -> None:
        self.path, self.limit = path, limit
        self.position = 0
        self.parsed_here = 0  # messages this process parsed itself
        self._received = 0  # messages received from the child
        self._complete = False  # the child sent the whole mbox
        self._child: multiprocessing.process.BaseProcess | None = None
        if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
            self._fork()

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def ahead(self) -> bool:
        """Whether a child reads ahead (rather than this process reading everything)."""
        return self._child is not None

    def batches(self) -> Iterator[Parsed]:
        if self._child is not None:
            yield from self._from_child()
        if not self._complete:
            yield from self._read_here(skip=self._received)

    def close(self) -> None:
        child, self._child = self._child, None
        if child is None:
            return
        self._inbox.close()
        self._asking.close()
        if child.is_alive():
            child.kill()
        child.join()

    def _fork(self) -> None:
        context = multiprocessing.get_context("fork")
        batches, batch_end = context.Pipe(duplex=False)
        asked, asking = context.Pipe(duplex=False)
        child = context.Process(
            target=_read_and_parse,
            args=(self.path, self.limit, batch_end, asked, os.getpid()),
            daemon=True,
        )
        child.start()
        batch_end.close()  # (so that the child's death ends what this end reads)
        asked.close()
        self._child, self._inbox, self._asking = child, batches, asking

    def _from_child(self) -> Iterator[Parsed]:
        while True:
            try:
                if not self._inbox.poll():
                    self._asking.send_bytes(b".")  # the batch as it stands, please
                batch: _Batch | None = self._inbox.recv()
            except (EOFError, OSError):  # the child died or failed: the rest is read here
                self.close()
                return
            if batch is None:  # the end of the mbox
                self.close()
                self._complete = True
                return
            self._received += len(batch.raws)
            self.position = batch.position
            yield self._finished(batch)

    def _finished(self, batch: _Batch) -> Parsed:
        from archive.parse import parse_message

        done = len(batch.parsed)
        rest = zip(batch.raws[done:], batch.dates[done:], strict=True)
        batch.parsed.extend(parse_message(raw, date) for raw, date in rest)
        self.parsed_here += len(batch.raws) - done
        return list(zip(batch.parsed, batch.raws, strict=True))

    def _read_here(self, skip: int) -> Iterator[Parsed]:
        from archive.mbox import iter_mbox, open_tracked

        with open_tracked(self.path) as (stream, position):
            messages = islice(iter_mbox(stream), skip, self.limit)
            for raws, dates in _split(messages):
                self.position = position()
                yield self._finished(_Batch(raws, dates, [], self.position))


def _split(messages: Iterator[MboxMessage]) -> Iterator[tuple[list[bytes], list[datetime | None]]]:
    while part := list(islice(messages, PARSED_AT_ONCE)):
        yield [m.raw for m in part], [m.from_date for m in part]


def _read_and_parse(
    path: Path, limit: int | None, out: Connection, asked: Connection, parent: int
) -> None:
    """The child: each batch parsed and put out, up to the message during which it was
    asked for it; a sending thread writes them to the pipe while the next is parsed. A
    failure ends the child quietly: the parent reads on from there and meets it itself."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    outbox: queue.Queue[_Batch | str | None] = queue.Queue(maxsize=AHEAD)
    sender = threading.Thread(target=_send_all, args=(outbox, out), daemon=True)
    sender.start()
    try:
        from archive.mbox import iter_mbox, open_tracked
        from archive.parse import parse_message

        with open_tracked(path) as (stream, position):
            for raws, dates in _split(islice(iter_mbox(stream), limit)):
                parsed: list[ParsedMessage] = []
                for raw, date in zip(raws, dates, strict=True):
                    if asked.poll():
                        asked.recv_bytes()
                        break
                    parsed.append(parse_message(raw, date))
                outbox.put(_Batch(raws, dates, parsed, position()))
    except Exception:  # noqa: BLE001 - met again, and raised, by the parent
        outbox.put(_FAILED)
    else:
        outbox.put(None)
    sender.join()


def _send_all(outbox: queue.Queue[_Batch | str | None], out: Connection) -> None:
    while (batch := outbox.get()) is not _FAILED:
        try:
            out.send(batch)
        except OSError:  # the parent has gone
            return
        if batch is None:
            return
