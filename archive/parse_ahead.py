"""Parsing batches of mail in a child process, one batch ahead of the caller, who stores the
batch before meanwhile: parsing is about half of an import's time, and a server has a second
core for it.

The child is forked when the parser is made, before the importing process starts threads of
its own (a progress bar's, say): forking a process that runs other threads can leave the child
waiting forever on a lock one of them held. Where a thread runs already, or the system cannot
fork, and for each batch left when the child dies (a message that crashed the parser in C, or
the out-of-memory killer), the batches are parsed in this process: the same results, in order,
only slower.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from datetime import datetime
from functools import partial

from archive.parse import parse_message
from archive.parsed import ParsedMessage

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a child gets when its parent dies
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
    """A batch parser working one batch ahead in a child process forked now; `parse_here`
    where this process runs other threads already or cannot fork."""
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield parse_here
        return
    pool = ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_die_with_parent,
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


def _ahead(pool: ProcessPoolExecutor, batches: Iterable[Batch]) -> Iterator[Parsed]:
    """The first batch parsed here while the child parses the second; then each batch from
    the child, which parses the next one while the caller stores it."""
    source = iter(batches)
    pending: deque[tuple[Batch, Future[list[ParsedMessage]] | None]] = deque()
    broken = False

    def submit_next() -> None:
        batch = next(source, None)
        if batch is not None:
            pending.append((batch, None if broken else _submitted(pool, batch)))

    first = next(source, None)
    if first is None:
        return
    submit_next()
    yield _with_raws(first, parse_batch(first))
    while pending:
        submit_next()  # the child works on the next batch while this one is stored
        batch, future = pending.popleft()
        try:
            parsed = parse_batch(batch) if future is None else future.result()
        except BrokenProcessPool:
            broken = True
            parsed = parse_batch(batch)
        yield _with_raws(batch, parsed)


def _die_with_parent(parent: int) -> None:
    """In the child, on Linux: killed when the importing process dies, however it dies (it
    would otherwise wait for a next batch forever)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the child ends with the executor only
        return
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _submitted(pool: ProcessPoolExecutor, batch: Batch) -> Future[list[ParsedMessage]] | None:
    try:
        return pool.submit(parse_batch, batch)
    except BrokenProcessPool:
        return None


def _with_raws(batch: Batch, parsed: list[ParsedMessage]) -> Parsed:
    return list(zip(parsed, batch[0], strict=True))
