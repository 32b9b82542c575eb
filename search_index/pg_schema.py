"""The PostgreSQL search tables: one row per archived message and per read attachment (keyed by
message and attachment, 0 for the message itself), its analysed words in a `tsvector`
(GIN-indexed), and rows of indexing progress.

The token streams are the Whoosh schema's text fields, analysed by the same analysers: each
lexeme is tagged with its stream (`text:ban`, `text_exact:bán`, `pairs:giao duc`), so one
column and one GIN index hold every stream, and a stream added to the schema needs no new
column (bump `SCHEMA_VERSION`; the worker indexes again). The lexemes are given to
PostgreSQL as they are (a `tsvector` literal): no text search configuration, stemming or
accent rule of PostgreSQL's own touches them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    cast,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.sql.elements import ColumnElement

from archive.db import NAMING_CONVENTION

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Lexemes(TypeDecorator[str]):
    """A `tsvector` written as its literal text (`'text:ban':1,4 'pairs:giao duc':2`)."""

    impl = TSVECTOR
    cache_ok = True

    def bind_expression(self, bindvalue: Any) -> ColumnElement[Any]:
        return cast(bindvalue, TSVECTOR)


search_document = Table(
    "search_document",
    metadata,
    Column("message_pk", BigInteger, primary_key=True, autoincrement=False),
    # 0 for the message's own document, else the attachment's id (search_index.pg_attachments)
    Column("attachment_id", BigInteger, primary_key=True, autoincrement=False, server_default="0"),
    Column("list_id", Integer, nullable=False),
    Column("list_name", String(64), nullable=False),
    Column("thread_id", BigInteger, nullable=False),
    Column("message_hash", String(64), nullable=False),
    Column("subject", Text, nullable=False),
    Column("sender_name", Text, nullable=False),
    Column("sender_email", Text, nullable=False),
    Column("date", DateTime, nullable=False),  # naive UTC, like the Whoosh index's dates
    Column("year", String(4), nullable=False),  # the site's local year
    Column("has_attachment", Boolean, nullable=False),
    Column("terms", Lexemes, nullable=False),
    Column("attachment", JSONB),  # an attachment's name, position, unit, status, subject
    Index("ix_search_document_terms", "terms", postgresql_using="gin"),
    Index("ix_search_document_list_date", "list_id", "date"),
)

# Indexing progress, one row per kind of document: the messages' `IndexState`, and the token
# of the attachments' documents (in `recent`). The worker that holds a row's lock is the one
# indexing; the others skip the round.
search_state = Table(
    "search_state",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("mark", BigInteger, nullable=False),
    Column("recent", Text, nullable=False),  # JSON: {pk: when indexed}
)
