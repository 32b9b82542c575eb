"""Run by test_read_ahead.py in a new process, which has no other thread (as `forum
import-mbox` when it starts): reads a corpus mbox with `ReadAhead` and compares every batch
with reading and parsing it here.

Usage: python -m tests.unit.archive.read_ahead_run MBOX [--kill-child] [--slow] [--thread]
           [--limit N]
--kill-child kills the child after the third batch; --slow waits a while before taking the
first batch (the child is then ahead); --thread runs another thread first.
Prints one line of JSON: what the test checks."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from archive.mbox import iter_mbox, open_archive
from archive.parse import parse_message
from archive.parsed import Parsed
from archive.read_ahead import PARSED_AT_ONCE, ReadAhead


def _expected(path: Path, limit: int | None) -> Iterator[Parsed]:
    with open_archive(path) as stream:
        messages = islice(iter_mbox(stream), limit)
        while part := list(islice(messages, PARSED_AT_ONCE)):
            yield [(parse_message(m.raw, m.from_date), m.raw) for m in part]


def _outcome(batches: Iterator[Parsed], got: list[Parsed]) -> str:
    """Each batch into `got`; what ended the reading: "end", or the error's type."""
    try:
        got.extend(batches)
    except Exception as error:  # noqa: BLE001 - reported, to be compared
        return type(error).__name__
    return "end"


def main() -> None:
    path, options = Path(sys.argv[1]), sys.argv[2:]
    limit = int(options[options.index("--limit") + 1]) if "--limit" in options else None
    stop = threading.Event()
    if "--thread" in options:
        threading.Thread(target=stop.wait).start()
    got: list[Parsed] = []
    positions: list[int] = []
    with ReadAhead(path, limit) as mbox:
        children = [child.pid or 0 for child in multiprocessing.active_children()]
        ahead = mbox.ahead
        if "--slow" in options:
            time.sleep(1.5)

        def batches() -> Iterator[Parsed]:
            for number, batch in enumerate(mbox.batches()):
                positions.append(mbox.position)
                if "--kill-child" in options and number == 2:
                    for pid in children:
                        os.kill(pid, signal.SIGKILL)
                yield batch

        ended = _outcome(batches(), got)
    stop.set()
    expected: list[Parsed] = []
    expected_end = _outcome(_expected(path, limit), expected)
    report = {
        "ahead": ahead,
        "children": len(children),
        "left": len(multiprocessing.active_children()),
        "batches": len(got),
        "messages": sum(len(batch) for batch in got),
        "equal": got == expected and ended == expected_end,
        "ended": ended,
        "parsed_here": mbox.parsed_here,
        "positions_rise": positions == sorted(positions) and positions[0] > 0,
        "at_the_end": positions[-1:] == [path.stat().st_size],
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
