"""Run by test_parse_ahead.py in a new process, which has no other thread (as `forum
import-mbox` when it makes its parser): parses a corpus mbox in small batches with the parser
that works ahead in a child process, and compares every result with parsing here.

Usage: python -m tests.unit.archive.parse_ahead_run MBOX [--kill-child]
Prints one line of JSON: what the test checks."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from archive.mbox import iter_mbox, open_archive
from archive.parse_ahead import Batch, parse_here, parser_ahead

BATCH = 40
COUNT = 400


def _batches(path: Path) -> Iterator[Batch]:
    with open_archive(path) as stream:
        messages = list(islice(iter_mbox(stream), COUNT))
    for start in range(0, len(messages), BATCH):
        part = messages[start : start + BATCH]
        yield [m.raw for m in part], [m.from_date for m in part]


def main() -> None:
    path, kill = Path(sys.argv[1]), "--kill-child" in sys.argv
    expected = list(parse_here(_batches(path)))
    got = []
    with parser_ahead() as parse:
        children = [child.pid for child in multiprocessing.active_children()]
        for number, parsed in enumerate(parse(_batches(path))):
            got.append(parsed)
            if kill and number == 2:
                for pid in children:
                    os.kill(pid, signal.SIGKILL)
    report = {
        "ahead": parse is not parse_here,
        "children": len(children),
        "batches": len(got),
        "messages": sum(len(batch) for batch in got),
        "equal": got == expected,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
