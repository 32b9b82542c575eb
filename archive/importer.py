"""Bulk import: store a stream of raw messages in batches, one commit per batch."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from archive.mbox import MboxMessage
from archive.store import ThreadingOptions, store_batch

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
    """Store every message, committing each batch; re-running adds nothing. Messages read
    from an mbox carry their `From ` line's date, used when the mail itself has none."""
    seen = imported = duplicates = flagged = 0
    batch: list[bytes] = []
    dates: list[datetime | None] = []

    def flush() -> None:
        nonlocal imported, duplicates, flagged
        result = store_batch(session, list_id, batch, options, dates)
        session.commit()
        imported += len(result.stored)
        duplicates += result.duplicates
        flagged += result.flagged
        if progress is not None:
            progress(len(batch))
        batch.clear()
        dates.clear()

    for item in raws:
        seen += 1
        batch.append(item.raw if isinstance(item, MboxMessage) else item)
        dates.append(item.from_date if isinstance(item, MboxMessage) else None)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return ImportReport(seen, imported, duplicates, flagged)
