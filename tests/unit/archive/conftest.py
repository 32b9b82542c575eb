"""The mail corpus for the parser tests, found beside the repository, and its message files."""

from __future__ import annotations

import itertools
import os
from email.message import Message
from pathlib import Path

import pytest

from archive.mbox import iter_messages, open_archive

# Folders that hold one raw message per file (the mimekit *.mbox.txt files are parsed whole).
MESSAGE_FOLDERS = ("edge", "vietnamese", "threading/notmuch")


def corpus_dir() -> Path:
    """../shared/corpus next to the repository, unless FORUM_CORPUS_DIR says otherwise."""
    default = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
    return Path(os.environ.get("FORUM_CORPUS_DIR", default))


def corpus_messages() -> list[Path]:
    root = corpus_dir()
    return [
        path
        for folder in MESSAGE_FOLDERS
        for path in sorted((root / folder).rglob("*"))
        if path.is_file() and path.suffix != ".json"
    ]


def html_list_mail(root: Path, count: int) -> list[bytes]:
    """The first `count` messages of usrp-users, a list of large HTML mail."""
    with open_archive(root / "lists" / "usrp-users-2020-09_2021-12.mbox.xz") as stream:
        return list(itertools.islice(iter_messages(stream), count))


def parsed_shape(message: Message) -> list[object]:
    """Everything a MIME parser decides about each part: to compare two ways of parsing."""
    shape: list[object] = []
    for part in message.walk():
        shape += [part.get_unixfrom(), part.items(), part.preamble, part.epilogue]
        shape.append([(type(defect).__name__, str(defect)) for defect in part.defects])
        payload = part.get_payload()
        shape.append(len(payload) if part.is_multipart() else payload)
    return shape


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests taking `corpus_message` run once per corpus file, named by its path."""
    if "corpus_message" in metafunc.fixturenames:
        paths = corpus_messages()
        ids = [str(path.relative_to(corpus_dir())) for path in paths]
        metafunc.parametrize("corpus_message", paths, ids=ids)


@pytest.fixture(scope="session")
def mail_corpus() -> Path:
    root = corpus_dir()
    if not root.is_dir():
        pytest.fail(f"mail corpus not found at {root} (set FORUM_CORPUS_DIR)")
    return root
