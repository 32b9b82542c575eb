"""Stream mboxrd files in (plain, .gz, .xz, .bz2) and write them out, byte for byte."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, BinaryIO

from archive.headers import unixfrom_date

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


@contextmanager
def open_tracked(path: Path) -> Iterator[tuple[IO[bytes], Callable[[], int]]]:
    """Open an mbox as open_archive() does, with a function telling how many bytes of the
    file (compressed, if it is) have been read so far: progress without a first pass."""
    with path.open("rb") as file:
        head = file.read(6)
        file.seek(0)
        for magic, opener in _MAGIC.items():
            if head.startswith(magic):
                with opener(file, "rb") as stream:  # type: ignore[operator]
                    yield stream, file.tell
                return
        yield file, file.tell


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
    The stream is read in large blocks and split by regular expressions, not line by line.
    """
    reader = _Blocks(stream)
    separator: bytes | None = None
    while True:
        found = _SEPARATOR.search(reader.buffer, reader.start)
        if found is None and reader.more(keep_all=separator is not None):
            continue
        # from reader.base on, the buffer holds the newline that ended the separator line
        body_end = len(reader.buffer) if found is None else found.end() - 5
        if separator is not None:
            yield _finish(separator, reader.buffer[reader.base + 1 : body_end])
        if found is None:
            return
        line_end = reader.buffer.find(b"\n", body_end)
        while line_end < 0:
            shift = reader.base  # the buffer is compacted to start there
            if not reader.more(keep_all=True):
                break
            body_end -= shift
            line_end = reader.buffer.find(b"\n", body_end)
        if line_end < 0:
            yield _finish(reader.buffer[body_end:], b"")
            return
        separator = reader.buffer[body_end : line_end + 1]
        reader.base = reader.start = line_end


class _Blocks:
    """The stream read in large blocks; `buffer[base:]` is still to be read."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        # Two virtual newlines in front: the first line counts as following a blank one.
        self.buffer = b"\n\n" + stream.read(_BLOCK).removeprefix(b"\xef\xbb\xbf")
        self.base = 0
        self.start = 0  # where the next separator may begin
        self.at_end = False

    def more(self, *, keep_all: bool) -> bool:
        """Append the next block (False at the end); keeps `buffer[base:]`, or only its
        last bytes when what comes before the first message is being skipped."""
        if self.at_end:
            return False
        keep = self.base if keep_all else max(len(self.buffer) - _OVERLAP, self.base)
        self.start = max(len(self.buffer) - _OVERLAP, keep) - keep
        block = self.stream.read(_BLOCK)
        self.at_end = not block
        self.buffer = self.buffer[keep:] + block
        self.base = 0
        return True


_BLOCK = 1 << 20
_PREFIX = 2  # the two virtual newlines
_OVERLAP = 8  # enough for a blank line and "From" to straddle two blocks
# a blank line ("\n" or "\r\n", after a line's end) and "From " at the start of the next
_SEPARATOR = re.compile(rb"\n\r?\nFrom ")
_ESCAPED_FROM_LINES = re.compile(rb"^>(>*From )", re.MULTILINE)


def _finish(separator: bytes, body: bytes) -> MboxMessage:
    """The message under `separator`: its body unquoted, the blank line before the next
    message (the body's last line, when it is blank) dropped."""
    if body.endswith(b"\n\n") or body == b"\n":
        body = body[:-1]
    elif body.endswith(b"\n\r\n") or body == b"\r\n":
        body = body[:-2]
    if b">From " in body:  # what every escaped line holds; most quoting mail has none
        body = _ESCAPED_FROM_LINES.sub(rb"\1", body)
    return MboxMessage(body, unixfrom_date(separator.decode("latin-1")))


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
