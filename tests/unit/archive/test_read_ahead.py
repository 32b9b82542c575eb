"""Reading and parsing an mbox ahead in a child process gives what reading and parsing it
here gives, batch for batch: whichever process parses each message, when the child is killed
half-way, when the file is damaged (the same error, after the same batches), with a limit;
it forks only a process with no other thread running, and leaves no child behind."""

from __future__ import annotations

import json
import lzma
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
MBOX = Path("lists") / "usrp-users-2020-09_2021-12.mbox.xz"  # HTML mail, attachments
FIRST = 500  # messages: five batches


@pytest.fixture(scope="module")
def first_part(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first FIRST messages of usrp-users, and a few more, as .xz (a quicker corpus)."""
    with lzma.open(corpus / MBOX) as whole:
        data = whole.read(17_000_000)
    path = tmp_path_factory.mktemp("mbox") / "first.mbox.xz"
    path.write_bytes(lzma.compress(data[: data.rindex(b"\nFrom ") + 1], preset=1))
    return path


def _run(path: Path, *options: str) -> dict[str, object]:
    done = subprocess.run(  # noqa: S603 - our own module, with the test's own arguments
        [sys.executable, "-m", "tests.unit.archive.read_ahead_run", str(path), *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return report


AHEAD_TO_THE_END = {"ahead": True, "children": 1, "left": 0, "equal": True, "ended": "end"}


def _whole(report: dict[str, object]) -> dict[str, object]:
    return {key: report[key] for key in ("ahead", "children", "left", "equal", "ended")}


def test_batches_read_ahead_are_those_read_here_whoever_parses_them(first_part: Path) -> None:
    asking = _run(first_part, "--limit", str(FIRST))  # asks for each batch as it stands
    assert _whole(asking) == {
        "ahead": True,
        "children": 1,
        "left": 0,
        "equal": True,
        "ended": "end",
    }
    assert (asking["batches"], asking["messages"]) == (5, FIRST)
    assert 0 < int(str(asking["parsed_here"])) < FIRST  # parsed by both
    assert asking["positions_rise"] is True
    waiting = _run(first_part, "--slow")  # the child ahead: the first batches parsed there
    assert _whole(waiting) == _whole(asking)
    assert int(str(waiting["parsed_here"])) < int(str(waiting["messages"])) - 100
    assert waiting["at_the_end"] is True


def test_what_the_child_did_not_send_before_it_died_is_read_here(first_part: Path) -> None:
    report = _run(first_part, "--kill-child", "--limit", str(FIRST))
    assert _whole(report) == {
        "ahead": True,
        "children": 1,
        "left": 0,
        "equal": True,
        "ended": "end",
    }
    assert report["messages"] == FIRST


def test_a_damaged_file_raises_here_after_the_same_batches(
    first_part: Path, tmp_path: Path
) -> None:
    cut = tmp_path / "cut.mbox.xz"
    cut.write_bytes(first_part.read_bytes()[: first_part.stat().st_size * 2 // 3])
    report = _run(cut)
    assert _whole(report) == {
        "ahead": True,
        "children": 1,
        "left": 0,
        "equal": True,
        "ended": "EOFError",  # "Compressed file ended before the end-of-stream marker"
    }
    assert int(str(report["batches"])) >= 3


def test_a_process_running_other_threads_reads_here(first_part: Path) -> None:
    report = _run(first_part, "--thread", "--limit", "250")
    assert _whole(report) == {
        "ahead": False,
        "children": 0,
        "left": 0,
        "equal": True,
        "ended": "end",
    }
    assert (report["batches"], report["messages"], report["parsed_here"]) == (3, 250, 250)
