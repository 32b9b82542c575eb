"""Bulk import: store a stream of raw messages in batches, one commit per batch."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from archive.mbox import MboxMessage
from archive.parse_ahead import Batch, BatchParser, Parsed, parse_here
from archive.store import ThreadingOptions, store_parsed

BATCH_SIZE = 500
PARSED_AT_ONCE = 100  # messages parsed as one piece: what is held ahead of the stored batch


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
    parse: BatchParser = parse_here,
) -> ImportReport:
    """Store every message, committing each batch; re-running adds nothing. Messages read
    from an mbox carry their `From ` line's date, used when the mail itself has none.
    `parse` parses the batches (`archive.parse_ahead.parser_ahead`: in a child process)."""
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

    for parsed in parse(_batches(raws, min(batch_size, PARSED_AT_ONCE))):
        batch.extend(parsed)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return ImportReport(seen, imported, duplicates, flagged)


def _batches(raws: Iterable[bytes | MboxMessage], size: int) -> Iterator[Batch]:
    batch: list[bytes] = []
    dates: list[datetime | None] = []
    for item in raws:
        batch.append(item.raw if isinstance(item, MboxMessage) else item)
        dates.append(item.from_date if isinstance(item, MboxMessage) else None)
        if len(batch) >= size:
            yield batch, dates
            batch, dates = [], []
    if batch:
        yield batch, dates
