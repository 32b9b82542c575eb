"""The `forum` command leaves without the interpreter's teardown, and loses nothing by it:
its whole output (piped or to a file), its exit status, the exit handlers, a thread still
running."""

from __future__ import annotations

import itertools
import mailbox
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from archive.mbox import iter_messages, open_archive
from forum.cli.leaving import exit_status
from tests.unit.archive.conftest import corpus_dir

FORUM = str(Path(sys.executable).with_name("forum"))
MESSAGES = 400  # about a megabyte of mail: many times the pipe's and the stream's buffers


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data = tmp_path_factory.mktemp("forum-exit")
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    return {
        **buffered,
        "FORUM_DATA_DIR": str(data),
        "FORUM_DATABASE_URL": f"sqlite:///{data / 'forum.sqlite3'}",
        "FORUM_SECRET_KEY": "exit-test",
        "FORUM_DOMAIN": "exit.test",
    }


@pytest.fixture(scope="module")
def imported(environment: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A list holding the first messages of linux-mips, imported by the command."""
    mbox = tmp_path_factory.mktemp("mbox") / "part.mbox"
    with open_archive(corpus_dir() / "lists" / "linux-mips-1996-2002.mbox.xz") as stream:
        raws = list(itertools.islice(iter_messages(stream), MESSAGES))
    box = mailbox.mbox(mbox)
    for raw in raws:
        box.add(raw)
    box.close()
    _forum(environment, "init")
    done = _forum(environment, "import-mbox", "exit", str(mbox), "--create-list", "--quiet")
    assert done.stdout.startswith(f"{MESSAGES} messages read".encode()), done.stdout
    return mbox


def _forum(environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # noqa: S603
        [FORUM, *arguments], env=environment, capture_output=True, check=True, timeout=120
    )


def _exported_count(mbox: bytes) -> int:
    return sum(1 for line in mbox.split(b"\n") if line.startswith(b"From "))


def test_a_piped_export_arrives_whole(environment: dict[str, str], imported: Path) -> None:
    done = _forum(environment, "export-mbox", "exit")
    assert len(done.stdout) > 1_000_000
    assert _exported_count(done.stdout) == MESSAGES
    assert done.stdout.endswith(b"\n")
    assert done.stderr.strip().endswith(f"{MESSAGES} messages exported".encode())


def test_an_export_to_a_file_is_written_whole(
    environment: dict[str, str], imported: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.mbox"
    piped = _forum(environment, "export-mbox", "exit").stdout
    _forum(environment, "export-mbox", "exit", "-o", str(target))
    assert target.read_bytes() == piped


def test_the_exit_status_is_the_commands(environment: dict[str, str], imported: Path) -> None:
    missing = subprocess.run(  # noqa: S603
        [FORUM, "import-mbox", "nosuch", str(imported)],
        env=environment,
        capture_output=True,
        timeout=120,
    )
    assert missing.returncode == 2
    assert b"no list named 'nosuch'" in missing.stderr
    assert subprocess.run([FORUM, "--help"], env=environment, capture_output=True).returncode == 0  # noqa: S603


def _main_after(
    environment: dict[str, str], folder: Path, setup: str, *arguments: str
) -> subprocess.CompletedProcess[bytes]:
    """`forum ARGUMENTS` run by `main()` in a Python that first registers an exit handler
    (writing `folder/handler`) and runs `setup` (which may write to `folder`)."""
    script = "\n".join(
        [
            "import atexit, sys, threading, time",
            "from pathlib import Path",
            "from forum.cli.main import main",
            f"folder = Path({str(folder)!r})",
            'atexit.register((folder / "handler").write_text, "ran")',
            textwrap.dedent(setup),
            f"sys.argv = ['forum', *{list(arguments)!r}]",
            "main()",
        ]
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], env=environment, capture_output=True, timeout=120
    )


def test_exit_handlers_run_and_a_running_thread_is_waited_for(
    environment: dict[str, str], tmp_path: Path
) -> None:
    late = """
        def late() -> None:
            time.sleep(0.5)
            (folder / "thread").write_text("done")
        threading.Thread(target=late).start()
        """
    done = _main_after(environment, tmp_path, late, "--help")
    assert done.returncode == 0, done.stderr
    assert b"Email-first discussion forum" in done.stdout
    assert (tmp_path / "handler").read_text() == "ran"
    assert (tmp_path / "thread").read_text() == "done"


def test_handlers_run_and_output_is_flushed_when_nothing_else_is_left(
    environment: dict[str, str], tmp_path: Path
) -> None:
    buffered = """
        class Teardown:  # freed by the interpreter's teardown, which the command skips
            def __del__(self) -> None:
                (folder / "teardown").write_text("ran")
        kept = Teardown()
        print("written before, still in the buffer")  # (standard output is a pipe here)
        """
    done = _main_after(environment, tmp_path, buffered, "nosuchcommand")
    assert done.returncode == 2
    assert b"No such command" in done.stderr
    assert done.stdout == b"written before, still in the buffer\n"
    assert (tmp_path / "handler").read_text() == "ran"
    assert not (tmp_path / "teardown").exists()


@pytest.mark.parametrize(
    ("code", "status"), [(None, 0), (0, 0), (3, 3), (256, 0), (-1, 255), (True, 1)]
)
def test_exit_statuses_are_pythons(code: object, status: int) -> None:
    assert exit_status(code) == status
    assert (
        subprocess.run([sys.executable, "-c", f"raise SystemExit({code!r})"]).returncode == status
    )  # noqa: S603


def test_a_message_for_exit_is_written_and_the_status_is_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert exit_status("could not start") == 1
    assert capsys.readouterr().err == "could not start\n"


def test_import_mbox_loads_the_app_without_its_pages(
    imported: Path, environment: dict[str, str]
) -> None:
    """The import again (it adds nothing), its app without web pages or other commands,
    whose modules are then never imported."""
    script = textwrap.dedent(f"""
        import atexit, sys
        pages = ("forum.views.archive_views", "forum.cli.site_admin", "search_index.searcher")
        atexit.register(lambda: print([name for name in pages if name in sys.modules]))
        sys.argv = ["forum", "import-mbox", "exit", {str(imported)!r}, "--quiet"]
        from forum.cli.main import main
        main()
        """)
    done = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, "-c", script], env=environment, capture_output=True, check=True
    )
    assert done.stdout.decode().splitlines() == [
        f"{MESSAGES} messages read: 0 imported, {MESSAGES} duplicates, 0 flagged",
        "[]",
    ]
