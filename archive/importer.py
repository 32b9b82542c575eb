"""Bulk import: store a stream of raw messages in batches, one commit per batch."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from sqlalchemy.orm import Session

from archive.mbox import MboxMessage
from archive.parse import parse_message
from archive.parsed import Parsed, ParsedMessage
from archive.store import ThreadingOptions, store_parsed

BATCH_SIZE = 500


@dataclass(frozen=True, slots=True)
class ImportReport:
    seen: int
    imported: int
    duplicates: int
    flagged: int


def import_messages(
    session: Session,
    list_id: int,
    raws: Iterable[bytes | MboxMessage],
    *,
    batch_size: int = BATCH_SIZE,
    options: ThreadingOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Store every message, parsed here, committing each batch; re-running adds nothing.
    Messages read from an mbox carry their `From ` line's date, used when the mail itself
    has none. (`forum import-mbox` parses in a child process: `archive.read_ahead`.)"""
    batches = _parsed_batches(iter(raws), batch_size)
    return import_parsed(
        session, list_id, batches, batch_size=batch_size, options=options, progress=progress
    )


def import_parsed(
    session: Session,
    list_id: int,
    batches: Iterable[Parsed],
    *,
    batch_size: int = BATCH_SIZE,
    options: ThreadingOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Store messages parsed already (`archive.read_ahead`), committing every `batch_size`
    of them; re-running adds nothing."""
    seen = imported = duplicates = flagged = 0
    batch: Parsed = []

    def flush() -> None:
        nonlocal seen, imported, duplicates, flagged
        result = store_parsed(session, list_id, batch, options)
        session.commit()
        seen += len(batch)
        imported += len(result.stored)
        duplicates += result.duplicates
        flagged += result.flagged
        if progress is not None:
            progress(len(batch))
        batch.clear()

    for parsed in batches:
        batch.extend(parsed)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return ImportReport(seen, imported, duplicates, flagged)


def _parsed_batches(raws: Iterator[bytes | MboxMessage], size: int) -> Iterator[Parsed]:
    while part := list(islice(raws, size)):
        yield [_parsed(item) for item in part]


def _parsed(item: bytes | MboxMessage) -> tuple[ParsedMessage, bytes]:
    if isinstance(item, MboxMessage):
        return parse_message(item.raw, item.from_date), item.raw
    return parse_message(item), item
