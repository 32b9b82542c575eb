"""Moving a whole installation to another database (SQLite to PostgreSQL): every table of the
schema copied in batches, in the order of their foreign keys, then checked (row counts and a
digest of every stored raw message and attachment) on both sides.

The target must hold no data: its schema is made by the migrations before the copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Integer, MetaData, Table, func, select, text
from sqlalchemy.exc import DBAPIError

BATCH = 1_000
Progress = Callable[[int], None]


class TargetNotEmpty(Exception):
    """The target database already holds data: nothing was copied."""


@dataclass(frozen=True, slots=True)
class Check:
    counts: dict[str, tuple[int, int]]  # table -> (source rows, target rows)
    raw_digest: tuple[str, str]  # (source, target): SHA-256 of every raw message and file

    @property
    def ok(self) -> bool:
        return self.raw_digest[0] == self.raw_digest[1] and all(
            source == target for source, target in self.counts.values()
        )


def row_counts(connection: Connection, metadata: MetaData) -> dict[str, int]:
    return {
        table.name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
        for table in metadata.sorted_tables
    }


def ensure_empty(target: Engine, metadata: MetaData) -> None:
    with target.connect() as connection:
        full = [name for name, count in row_counts(connection, metadata).items() if count]
    if full:
        raise TargetNotEmpty(f"the target database holds data already ({', '.join(full)})")


def copy_all(
    source: Engine, target: Engine, metadata: MetaData, progress: Progress | None = None
) -> dict[str, int]:
    """Copy every table's rows (target schema already made); how many rows per table. One
    transaction on the target: an interrupted move leaves it empty, to be run again."""
    copied: dict[str, int] = {}
    with source.connect() as reading, target.begin() as writing:
        _defer_foreign_keys(writing)
        for table in metadata.sorted_tables:
            count = 0
            for batch in _batches(reading, table):
                writing.execute(table.insert(), batch)
                count += len(batch)
                if progress is not None:
                    progress(len(batch))
            copied[table.name] = count
        _reset_sequences(writing, metadata)
    return copied


def _defer_foreign_keys(connection: Connection) -> None:
    """Rows that point at later rows of their own table (a thread's first message) are
    checked at the end on PostgreSQL when the role may say so; otherwise, in key order."""
    if connection.dialect.name != "postgresql":
        return
    try:
        with connection.begin_nested():
            connection.execute(text("SET LOCAL session_replication_role = replica"))
    except DBAPIError:  # not a superuser: rows go in key order, which suits the schema
        return


def _batches(connection: Connection, table: Table) -> Iterator[list[dict[str, object]]]:
    """The table's rows in primary key order, `BATCH` at a time, in bounded memory."""
    keys = list(table.primary_key.columns)
    result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(
        select(table).order_by(*keys)
    )
    for part in result.mappings().partitions(BATCH):
        yield [dict(row) for row in part]


def _reset_sequences(connection: Connection, metadata: MetaData) -> None:
    """PostgreSQL's sequences carry on after the copied keys."""
    if connection.dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        sequence = connection.scalar(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": keys[0].name},
        )
        if sequence:
            highest = connection.scalar(select(func.max(keys[0]))) or 0
            connection.execute(select(func.setval(sequence, highest + 1, False)))


def raw_digest(connection: Connection, metadata: MetaData) -> str:
    """SHA-256 over every stored raw message and attachment, in key order."""
    digest = hashlib.sha256()
    for table_name, column in (("message", "raw"), ("attachment", "data")):
        table = metadata.tables.get(table_name)
        if table is None:
            continue
        keys = list(table.primary_key.columns)
        query = select(table.c[column]).order_by(*keys)
        result = connection.execution_options(stream_results=True, yield_per=200).execute(query)
        for (data,) in result:
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
    return digest.hexdigest()


def check(source: Engine, target: Engine, metadata: MetaData) -> Check:
    with source.connect() as one, target.connect() as other:
        before, after = row_counts(one, metadata), row_counts(other, metadata)
        digests = (raw_digest(one, metadata), raw_digest(other, metadata))
    return Check({name: (before[name], after[name]) for name in before}, digests)
