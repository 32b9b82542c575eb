"""The mail corpus for the parser tests, found beside the repository, and its message files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
