"""Parsing batches of mail in a child process, ahead of the caller, who stores the batch
before meanwhile: parsing is about half of an import's time, and a server has a second core
for it. While the batch due is not back from the child, this process parses a later one.

The child is forked when the parser is made, before the importing process starts threads of
its own (a progress bar's, say): forking a process that runs other threads can leave the child
waiting forever on a lock one of them held. Where a thread runs already, or the system cannot
fork, and for each batch left when the child dies (a message that crashed the parser in C, or
the out-of-memory killer), the batches are parsed in this process: the same results, in order,
only slower.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from archive.orphans import die_with_parent
from archive.parse import parse_message
from archive.parsed import ParsedMessage

IN_CHILD = 5  # batches sent to the child and not back yet (the importer's are 100 messages)
HELD = 6  # batches read and not yet given to the caller, at most
Batch = tuple[Sequence[bytes], Sequence[datetime | None]]  # raw mails, their mbox dates
Parsed = list[tuple[ParsedMessage, bytes]]  # each parsed mail with its raw bytes
BatchParser = Callable[[Iterable[Batch]], Iterator[Parsed]]


def parse_batch(batch: Batch) -> list[ParsedMessage]:
    raws, dates = batch
    return [
        parse_message(raw, dates[index] if index < len(dates) else None)
        for index, raw in enumerate(raws)
    ]


def parse_here(batches: Iterable[Batch]) -> Iterator[Parsed]:
    """Each batch parsed in this process, in order."""
    for batch in batches:
        yield _with_raws(batch, parse_batch(batch))


@contextmanager
def parser_ahead() -> Iterator[BatchParser]:
    """A batch parser working ahead in a child process forked now (`_ahead`); `parse_here`
    where this process runs other threads already or cannot fork."""
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield parse_here
        return
    pool = ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )
    try:
        pool.submit(int).result()  # the child forked now, before any thread of ours
    except BrokenProcessPool:
        pool.shutdown()
        yield parse_here
        return
    try:
        yield partial(_ahead, pool)
    finally:
        pool.shutdown(cancel_futures=True)


@dataclass(slots=True)
class _Entry:
    """A batch on its way: sent to the child, or parsed here, or neither yet."""

    batch: Batch
    future: Future[list[ParsedMessage]] | None = None
    parsed: list[ParsedMessage] | None = None

    @property
    def idle(self) -> bool:
        return self.future is None and self.parsed is None

    @property
    def ready(self) -> bool:
        return self.parsed is not None or (self.future is not None and self.future.done())


def _ahead(pool: ProcessPoolExecutor, batches: Iterable[Batch]) -> Iterator[Parsed]:
    """Each batch in order: the child keeps IN_CHILD batches ahead of the caller, and while
    the batch due is not back from the child, a later one is parsed here (so neither process
    waits for the other, whichever is the slower at its part), up to HELD batches held."""
    source = iter(batches)
    queue: deque[_Entry] = deque()
    broken = False

    def pull() -> _Entry | None:
        batch = next(source, None)
        if batch is None:
            return None
        queue.append(_Entry(batch))
        return queue[-1]

    def idle() -> _Entry | None:
        found = next((entry for entry in queue if entry.idle), None)
        return found or (pull() if len(queue) < HELD else None)

    while queue or pull() is not None:
        while not broken and sum(e.future is not None and not e.ready for e in queue) < IN_CHILD:
            entry = idle()
            if entry is None:
                break
            entry.future = _submitted(pool, entry.batch)
            broken = entry.future is None
        head = queue[0]
        while not head.ready and (spare := idle()) is not None:
            spare.parsed = parse_batch(spare.batch)  # (the head itself, when it was not sent)
        queue.popleft()
        parsed = head.parsed if head.parsed is not None else _from_child(head)
        yield _with_raws(head.batch, parsed)


def _from_child(entry: _Entry) -> list[ParsedMessage]:
    """The batch the child parsed; parsed here if the child died (so will the others
    sent to it be, each in turn)."""
    try:
        return entry.future.result() if entry.future is not None else parse_batch(entry.batch)
    except BrokenProcessPool:
        return parse_batch(entry.batch)


def _submitted(pool: ProcessPoolExecutor, batch: Batch) -> Future[list[ParsedMessage]] | None:
    try:
        return pool.submit(parse_batch, batch)
    except BrokenProcessPool:
        return None


def _with_raws(batch: Batch, parsed: list[ParsedMessage]) -> Parsed:
    return list(zip(parsed, batch[0], strict=True))
