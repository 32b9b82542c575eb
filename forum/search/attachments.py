"""The worker's attachment step: read a claimed batch of attachments' text (each in a child
process with limits, see archive.extract), record each outcome, then index what was read.
Off the SMTP path and after archiving: mail is delivered whatever its attachments hold."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.orm import Session

from archive.extract.ocr import OcrLimits
from archive.extract.outcome import Outcome, Status, read_attachment
from archive.extract.store import attachment_file, claim, forget, record, release
from forum import clock
from forum.search.indexing import search_backend
from forum.settings import Settings

log = logging.getLogger(__name__)
BATCH = 8  # attachments claimed at once: a few seconds' work, given back when stopping


def extract_pending(
    session: Session,
    settings: Settings,
    limit: int = BATCH,
    stop: threading.Event | None = None,
    list_id: int | None = None,
) -> int:
    """Read up to `limit` attachments not read yet; returns how many were taken."""
    taken = claim(session, limit, list_id=list_id)
    ocr = OcrLimits(max_pages=settings.ocr_pages)
    for position, attachment_id in enumerate(taken):
        if stop is not None and stop.is_set():
            _give_back(session, taken[position:])
            break
        found = attachment_file(session, attachment_id)
        if found is None:
            continue  # deleted since: its row went with it
        filename, content_type, data = found
        outcome = _read(filename, content_type, data, ocr, stop)
        if stop is not None and stop.is_set() and outcome.status == Status.SKIPPED:
            _give_back(session, taken[position:])  # cut short by the stop: read it next time
            break
        if outcome.status == Status.SKIPPED:
            log.info(
                "attachment %d (%s) not extracted: %s", attachment_id, filename, outcome.reason
            )
        record(session, attachment_id, outcome)
        session.commit()
    return len(taken)


def _give_back(session: Session, attachment_ids: list[int]) -> None:
    for attachment_id in attachment_ids:
        release(session, attachment_id)
    session.commit()


def _read(
    filename: str, content_type: str, data: bytes, ocr: OcrLimits, stop: threading.Event | None
) -> Outcome:
    stopping = stop.is_set if stop is not None else lambda: False
    try:
        return read_attachment(filename, content_type, data, ocr=ocr, stopping=stopping)
    except Exception as error:  # never the worker's end: recorded, and the batch goes on
        log.exception("reading attachment %r failed", filename)
        return Outcome(Status.SKIPPED, f"reader failed: {type(error).__name__}")


def index_attachments(session: Session, settings: Settings) -> int:
    """Index the attachments read since the last round."""
    zone = clock.zone(settings.timezone)
    return search_backend(settings).index_attachments(session, zone=zone)


def attachments_round(
    session: Session, settings: Settings, stop: threading.Event | None = None
) -> int:
    """One round of the worker's attachment loop: read a batch, index what was read."""
    taken = extract_pending(session, settings, stop=stop)
    index_attachments(session, settings)
    return taken


def reextract(
    session: Session,
    settings: Settings,
    list_id: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Read every attachment (of one list, or all) again; returns how many."""
    forget(session, list_id)
    session.commit()
    total = 0
    while taken := extract_pending(session, settings, limit=BATCH, list_id=list_id):
        total += taken
        if progress is not None:
            progress(taken)
    return total
