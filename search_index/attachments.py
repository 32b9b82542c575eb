"""Attachments in the Whoosh index: their documents (`attachment_documents`) written beside
the messages', and the index's token in a document of its own."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, tzinfo
from pathlib import Path

from sqlalchemy.orm import Session
from whoosh.index import FileIndex
from whoosh.writing import IndexWriter

from search_index.attachment_documents import BATCH, attachment_document, batches, mark, pending
from search_index.indexer import IndexBusy, open_index, writing

TOKEN_PK = "attachments-state"  # noqa: S105 - a document's key


def index_token(ix: FileIndex) -> str | None:
    with ix.searcher() as searcher:
        stored = searcher.document(pk=TOKEN_PK)
    return str(stored["attachment"]) if stored else None


def put_token(writer: IndexWriter, token: str) -> None:
    writer.update_document(kind=TOKEN_PK, pk=TOKEN_PK, attachment=token)


def index_new_attachments(
    session: Session, folder: Path, limit: int = BATCH, zone: tzinfo = UTC
) -> int:
    """Index up to `limit` read attachments this index lacks; 0 when there are none or the
    index is being written by someone else."""
    try:
        ix = open_index(folder)
        token = index_token(ix) or secrets.token_hex(8)
    except IndexBusy:
        return 0
    rows = pending(session, token, limit)
    if not rows:
        return 0
    try:
        with writing(ix) as writer:
            for row in rows:
                writer.update_document(**attachment_document(row, zone))
            put_token(writer, token)
    except IndexBusy:
        return 0
    mark(session, token, [row.attachment_id for row in rows])
    return len(rows)


def add_all_attachments(
    writer: IndexWriter, session: Session, list_id: int | None, zone: tzinfo, token: str
) -> Iterator[int]:
    """Every read attachment (of one list, or all) into a rebuilding writer; yields each
    batch's last attachment id (the caller marks them all once the writer commits)."""
    put_token(writer, token)
    for rows in batches(session, list_id):
        for row in rows:
            writer.add_document(**attachment_document(row, zone))
        yield rows[-1].attachment_id
