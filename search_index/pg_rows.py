"""Search documents as rows of `search_document`: a message's (attachment 0) or an
attachment's, written with their lexemes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from search_index.pg_schema import search_document
from search_index.pg_terms import tsvector


def row_values(doc: dict[str, object]) -> dict[str, Any]:
    """A search document (`documents.document`, `attachment_documents.attachment_document`)
    as a `search_document` row."""
    attachment = doc.get("attachment")
    found = attachment if isinstance(attachment, dict) else None
    return {
        "message_pk": int(str(found["message_pk"] if found else doc["pk"])),
        "attachment_id": int(found["id"]) if found else 0,
        "list_id": int(str(doc["list_id"])),
        "list_name": doc["list"],
        "thread_id": int(str(doc["thread"])),
        "message_hash": doc["hash"],
        "subject": found["subject"] if found else doc["subject"],
        "sender_name": doc["sender_name"],
        "sender_email": doc["sender_email"],
        "date": doc["date"],
        "year": doc["year"],
        "has_attachment": doc["has_attachment"],
        "terms": tsvector(doc),
        "attachment": found,
    }


def put(session: Session, docs: Iterable[dict[str, object]]) -> int:
    """Add or replace documents (by message and attachment), in the session's transaction."""
    values = [row_values(doc) for doc in docs]
    if not values:
        return 0
    statement = insert(search_document)
    keys = ["message_pk", "attachment_id"]
    columns = {c.name: statement.excluded[c.name] for c in search_document.columns}
    for key in keys:
        del columns[key]
    session.execute(statement.on_conflict_do_update(index_elements=keys, set_=columns), values)
    return len(values)
