"""Rows into PostgreSQL by COPY rather than one INSERT of many rows.

An INSERT of a batch of messages carries some 12,000 placeholders: psycopg reads the whole
statement again for each batch to find them (a quarter of an import's time on PostgreSQL, in
the importing process) and the server parses it. COPY sends the values alone, each converted
by the column's own SQLAlchemy type first (aware datetimes to naive UTC, say), as an INSERT
would convert them. New keys are taken from the table's sequence beforehand, in order, so the
rows get the keys an INSERT would have given them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, FromClause, Table, text

PSYCOPG = "psycopg"


def copies(connection: Connection) -> bool:
    """Whether rows can be copied on this connection (PostgreSQL through psycopg 3)."""
    return connection.dialect.name == "postgresql" and connection.dialect.driver == PSYCOPG


def copy_rows(
    connection: Connection, table: FromClause, rows: Sequence[Mapping[str, object]], key: str | None
) -> list[int]:
    """COPY `rows` (dicts with the same columns) into `table`; with `key`, the name of its
    serial primary key, each row gets a new key from the sequence, returned in row order."""
    if not isinstance(table, Table):
        raise TypeError(f"{table} is not a table")
    if not rows:
        return []
    given = list(rows[0])
    defaults = _defaults(table, {*given, *([key] if key else [])})
    columns = [*([key] if key else []), *given, *defaults]
    keys = _new_keys(connection, table, key, len(rows)) if key else []
    converters = [_converter(connection, table, name) for name in columns]
    names = ", ".join(connection.dialect.identifier_preparer.quote(name) for name in columns)
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f"COPY {_quoted(connection, table)} ({names}) FROM STDIN") as copy:
            for index, row in enumerate(rows):
                values = [
                    *keys[index : index + 1],
                    *(row[name] for name in given),
                    *defaults.values(),
                ]
                copy.write_row([c(v) if c else v for c, v in zip(converters, values, strict=True)])
    finally:
        cursor.close()
    return keys


def _defaults(table: Table, given: set[str]) -> dict[str, object]:
    """The values SQLAlchemy gives the columns an INSERT leaves out (COPY would leave them
    NULL); a default computed per row is not supported: such columns must be given."""
    found: dict[str, object] = {}
    for column in table.columns:
        default = column.default
        if column.name in given or default is None:
            continue
        if not default.is_scalar:
            raise ValueError(f"{table.name}.{column.name}: give it a value to copy rows")
        found[column.name] = default.arg  # type: ignore[attr-defined]
    return found


def _new_keys(connection: Connection, table: Table, key: str, count: int) -> list[int]:
    query = text("SELECT nextval(pg_get_serial_sequence(:table, :key)) FROM generate_series(1, :n)")
    found = connection.scalars(query, {"table": _quoted(connection, table), "key": key, "n": count})
    return sorted(int(pk) for pk in found)


def _converter(connection: Connection, table: Table, name: str) -> Callable[[Any], Any] | None:
    processor: Callable[[Any], Any] | None = table.c[name].type.bind_processor(connection.dialect)
    return processor


def _quoted(connection: Connection, table: Table) -> str:
    return connection.dialect.identifier_preparer.format_table(table)
