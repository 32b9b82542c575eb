"""Parsing ahead in a child process gives what parsing here gives, batch for batch, also when
the child is killed half-way; it forks only a process with no other thread running."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

from archive.parse_ahead import parse_here, parser_ahead

ROOT = Path(__file__).resolve().parents[3]
MBOX = Path("lists") / "usrp-users-2020-09_2021-12.mbox.xz"  # HTML mail, attachments


def _run(corpus: Path, *options: str) -> dict[str, object]:
    done = subprocess.run(  # noqa: S603 - our own module, with the test's own arguments
        [sys.executable, "-m", "tests.unit.archive.parse_ahead_run", str(corpus / MBOX), *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return report


def test_batches_parsed_ahead_in_a_child_are_those_parsed_here(corpus: Path) -> None:
    report = _run(corpus)
    assert report == {"ahead": True, "children": 1, "batches": 10, "messages": 400, "equal": True}


def test_batches_left_when_the_child_dies_are_parsed_here(corpus: Path) -> None:
    report = _run(corpus, "--kill-child")
    assert report == {"ahead": True, "children": 1, "batches": 10, "messages": 400, "equal": True}


def test_a_process_running_other_threads_parses_here() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with parser_ahead() as parse:
            assert parse is parse_here
    finally:
        stop.set()
        other.join()
