"""Attachments in the PostgreSQL search tables: their documents (`attachment_documents`) as
rows beside their messages', and the tables' token in the `attachments` row of
`search_state`. A round writes the rows and marks the attachments in one transaction, holding
the token row's lock (`SKIP LOCKED`: one worker indexes attachments at a time)."""

from __future__ import annotations

import secrets
from datetime import UTC, tzinfo

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from search_index.attachment_documents import (
    BATCH,
    attachment_document,
    batches,
    mark,
    pending,
)
from search_index.pg_rows import put
from search_index.pg_schema import search_state
from search_index.schema import SCHEMA_VERSION

STATE_NAME = "attachments"


def claim_token(session: Session, wait: bool) -> str | None:
    """The tables' attachment token, its row locked for this transaction; None when another
    process holds it. Documents of another analysis version get a new token: all again."""
    fresh = secrets.token_hex(8)
    session.execute(
        insert(search_state)
        .values(name=STATE_NAME, version=SCHEMA_VERSION, mark=0, recent=fresh)
        .on_conflict_do_nothing()
    )
    query = select(search_state).where(search_state.c.name == STATE_NAME)
    found = session.execute(query.with_for_update(skip_locked=not wait)).first()
    if found is None:
        return None
    if found.version == SCHEMA_VERSION:
        return str(found.recent)
    session.execute(
        update(search_state)
        .where(search_state.c.name == STATE_NAME)
        .values(version=SCHEMA_VERSION, recent=fresh)
    )
    return fresh


def index_new_attachments(session: Session, limit: int = BATCH, zone: tzinfo = UTC) -> int:
    """Index up to `limit` read attachments the tables lack, and commit; 0 when there are none
    or another worker is indexing them right now."""
    token = claim_token(session, wait=False)
    if token is None:
        session.rollback()
        return 0
    rows = pending(session, token, limit)
    if not rows:
        session.commit()  # keeps a new token row
        return 0
    put(session, (attachment_document(row, zone) for row in rows))
    mark(session, token, [row.attachment_id for row in rows])  # commits the rows too
    return len(rows)


def add_all(session: Session, list_id: int | None, zone: tzinfo = UTC) -> str:
    """Every read attachment (of one list, or all) into a rebuild's transaction; the token to
    `mark_all` with once it commits."""
    token = claim_token(session, wait=True) or secrets.token_hex(8)
    for rows in batches(session, list_id):
        put(session, (attachment_document(row, zone) for row in rows))
    return token
