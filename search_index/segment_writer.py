"""Whoosh's segment writer, with two of its commit's costs taken out and the index it writes
unchanged, byte for byte in every posting, length and column:

- the postings it spills to disk while documents are added (beyond `limitmb`) are pickled in
  chunks, not with one `pickle.dump` and one `pickle.load` a posting (a fifth of a rebuild's
  time went to those calls);
- each posting's field length, which Whoosh reads from the new segment's file one posting at
  a time (and, for a field without lengths, after asking the file system whether the column
  exists), is read from each field's column held in memory.
"""

from __future__ import annotations

import pickle  # noqa: S403 - the writer's own spilled postings, read back by itself
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.index import FileIndex
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool, SegmentWriter

SPILL_CHUNK = 1024  # postings a pickle: few calls, and little held per run while merging

# Whoosh keeps a field's length in a document as one byte: the length it reads back (a
# zero byte is no length, read as None).
LENGTH_OF_BYTE: list[int | None] = [byte_to_length(b) if b else None for b in range(256)]


class ChunkedPostingPool(PostingPool):  # type: ignore[misc]
    """Whoosh's pool of postings, its sorted runs written and read a chunk at a time."""

    def _write_run(self, f: Any, items: Iterable[tuple[Any, ...]]) -> None:
        remaining = iter(items)
        while chunk := list(islice(remaining, SPILL_CHUNK)):
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path: str) -> Iterator[tuple[Any, ...]]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)  # noqa: S301 - written by _write_run above
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


class SegmentLengths:
    """The new segment's per-document field lengths, as `FieldWriter.add_postings` asks for
    them (once a posting): each field's column read once, whole."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._columns: dict[str, bytes | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        column = self._columns.get(fieldname, b"")
        if column == b"":
            column = self._columns[fieldname] = self._column(fieldname)
        if column is None:
            return default
        return LENGTH_OF_BYTE[column[docnum]] if docnum < len(column) else None

    def _column(self, fieldname: str) -> bytes | None:
        name = _lenfield(fieldname)
        if not self._reader.has_column(name):
            return None
        stored = self._reader.column_reader(name, LENGTHS_COLUMN)
        return bytes(stored._dbfile.get(stored._basepos, stored._count))


class LeanSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's SegmentWriter with the pool and the length lookups above."""

    def __init__(self, ix: FileIndex, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = ChunkedPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = SegmentLengths(reader) if reader is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader is not None:
            reader.close()
