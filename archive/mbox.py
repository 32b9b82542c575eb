"""Stream mboxrd files in (plain, .gz, .xz, .bz2) and write them out, byte for byte."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, BinaryIO

from archive.headers import unixfrom_date

_ESCAPED_FROM = re.compile(rb"^>(>*From )")
_NEEDS_ESCAPE = re.compile(rb"^(>*From )")
_MAGIC = {b"\x1f\x8b": gzip.open, b"\xfd7zXZ": lzma.open, b"BZh": bz2.open}


def open_archive(path: Path) -> IO[bytes]:
    """Open an mbox for reading, decompressing by content (not by the file's name)."""
    with path.open("rb") as probe:
        head = probe.read(6)
    for magic, opener in _MAGIC.items():
        if head.startswith(magic):
            return opener(path, "rb")  # type: ignore[no-any-return, operator]
    return path.open("rb")


@dataclass(frozen=True, slots=True)
class MboxMessage:
    raw: bytes  # the message's bytes, without its `From ` line
    from_date: datetime | None  # the date on its `From ` line, when it has a sensible one


def iter_messages(stream: IO[bytes]) -> Iterator[bytes]:
    """Yield each message's raw bytes; one message in memory at a time."""
    for message in iter_mbox(stream):
        yield message.raw


def iter_mbox(stream: IO[bytes]) -> Iterator[MboxMessage]:
    """Yield each message with the date of its `From ` line; one message in memory at a time.

    A line starting with "From " after a blank line (or at the start) begins a message;
    mboxrd quoting (">From " -> "From ") is undone, and the blank separator line dropped.
    """
    lines: list[bytes] = []
    separator: bytes | None = None
    previous_blank = True
    for index, line in enumerate(stream):
        if index == 0:
            line = line.removeprefix(b"\xef\xbb\xbf")  # noqa: PLW2901 - a BOM from a Windows editor
        if line.startswith(b"From ") and previous_blank:
            if separator is not None:
                yield _finish(separator, lines)
            lines = []
            separator = line
        elif separator is not None:
            lines.append(_ESCAPED_FROM.sub(rb"\1", line) if line[:1] == b">" else line)
        previous_blank = line in (b"\n", b"\r\n")
    if separator is not None:
        yield _finish(separator, lines)


def _finish(separator: bytes, lines: list[bytes]) -> MboxMessage:
    if lines and lines[-1] in (b"\n", b"\r\n"):
        lines = lines[:-1]
    return MboxMessage(b"".join(lines), unixfrom_date(separator.decode("latin-1")))


def from_line(sender: str, date: datetime) -> bytes:
    """The mbox separator line: `From <sender> <asctime in UTC>`."""
    envelope = sender if sender and " " not in sender else "MAILER-DAEMON"
    stamp = date.astimezone(UTC).strftime("%a %b %e %H:%M:%S %Y")
    return f"From {envelope} {stamp}\n".encode("ascii", "replace")


def write_message(out: BinaryIO | IO[bytes], raw: bytes, sender: str, date: datetime) -> None:
    """Append one message in mboxrd form; raw bytes are written unchanged but for quoting."""
    out.write(from_line(sender, date))
    for line in io.BytesIO(raw):  # splits on LF only, as the reader does
        out.write(_NEEDS_ESCAPE.sub(rb">\1", line) if line[:1] in b">F" else line)
    if not raw.endswith(b"\n"):
        out.write(b"\n")
    out.write(b"\n")


def write_mbox(out: BinaryIO | IO[bytes], messages: Iterable[tuple[bytes, str, datetime]]) -> int:
    """Write (raw, sender, date) triples; returns how many were written."""
    count = 0
    for raw, sender, date in messages:
        write_message(out, raw, sender, date)
        count += 1
    return count
