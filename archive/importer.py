"""Bulk import: store a stream of raw messages in batches, one commit per batch."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

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
    raws: Iterable[bytes],
    *,
    batch_size: int = BATCH_SIZE,
    options: ThreadingOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Store every message, committing each batch; re-running adds nothing."""
    seen = imported = duplicates = flagged = 0
    batch: list[bytes] = []

    def flush() -> None:
        nonlocal imported, duplicates, flagged
        result = store_batch(session, list_id, batch, options)
        session.commit()
        imported += len(result.stored)
        duplicates += result.duplicates
        flagged += result.flagged
        if progress is not None:
            progress(len(batch))
        batch.clear()

    for raw in raws:
        seen += 1
        batch.append(raw)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return ImportReport(seen, imported, duplicates, flagged)
