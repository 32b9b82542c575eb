"""No false conversions: every message of the shared corpus (both list archives, the edge
cases, bounces, threading and Vietnamese folders) parses with no text taken for TCVN3 or VNI."""

from __future__ import annotations

import lzma
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.mbox import iter_messages
from archive.parse import parse_message


def _every_message(corpus: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.suffix == ".md":
            continue
        name = str(path.relative_to(corpus))
        if path.name.endswith(".mbox.xz"):
            with lzma.open(path) as stream:
                yield from ((f"{name}#{n}", raw) for n, raw in enumerate(iter_messages(stream)))
        elif path.name.endswith(".mbox.txt"):
            with path.open("rb") as stream:
                yield from ((f"{name}#{n}", raw) for n, raw in enumerate(iter_messages(stream)))
        else:
            yield name, path.read_bytes()


@pytest.mark.slow
def test_no_message_of_the_corpus_is_taken_for_tcvn3_or_vni(corpus: Path) -> None:
    read = 0
    converted = []
    for name, raw in _every_message(corpus):
        read += 1
        parsed = parse_message(raw)
        if any("converted to Unicode" in note for note in parsed.defects):
            converted.append(name)
    assert read > 16_000  # the two archives alone hold 15,634
    assert converted == []
