"""Whoosh's segment writer, with three of its costs taken out and the index it writes
unchanged in every posting, length and column:

- the postings it spills to disk while documents are added (beyond `limitmb`) are pickled in
  chunks, not with one `pickle.dump` and one `pickle.load` a posting (a fifth of a rebuild's
  time went to those calls);
- each posting's field length, which Whoosh reads from the new segment's file one posting at
  a time (and, for a field without lengths, after asking the file system whether the column
  exists), is read from each field's column held in memory;
- each block of postings is pickled with protocol 5, where Whoosh uses protocol 2: that one
  has no opcode for bytes, so every posting's positions came back through a call of
  `codecs.encode`, most of the time a search spent reading a block. Whoosh's reader reads
  either (a segment written before is read as it was, and rewritten so when merged).
"""

from __future__ import annotations

import pickle  # noqa: S403 - the writer's own spilled postings and blocks, read by Whoosh
import zlib
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.index import FileIndex
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

SPILL_CHUNK = 1024  # postings a pickle: few calls, and little held per run while merging
BLOCK_PROTOCOL = 5  # bytes pickled as bytes; read by every Python 3 this project supports

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


class BinaryBlocksWriter(W3PostingsWriter):  # type: ignore[misc]
    """Whoosh's postings writer, each block's data pickled with BLOCK_PROTOCOL. The rest is
    Whoosh's layout: the file's magic before the first block, then for each block its
    length (negative for a term's last), its statistics and its data, compressed."""

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = (self._mini_ids(), self._mini_weights(), self._mini_values())
        databytes = pickle.dumps(data, BLOCK_PROTOCOL)
        if self._compression:
            databytes = zlib.compress(databytes, self._compression)
        ids = self._ids
        info = (
            len(ids),
            ids[-1],
            self._maxweight,
            self._compression,
            length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
        )
        infobytes = pickle.dumps(info, 2)  # small numbers: as Whoosh writes them
        length = len(infobytes) + len(databytes)
        self._postfile.write_int(-length if last else length)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class BinaryBlocksCodec(W3Codec):  # type: ignore[misc]
    """Whoosh's codec with the postings writer above (for the field writer only: segments
    keep naming Whoosh's own codec, so the index stays Whoosh's to read)."""

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> BinaryBlocksWriter:
        return BinaryBlocksWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class LeanSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's SegmentWriter with the pool, the length lookups and the blocks above."""

    def __init__(self, ix: FileIndex, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = ChunkedPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)
        codec = self.codec
        self.fieldwriter._codec = BinaryBlocksCodec(
            codec._blocklimit, codec._compression, codec._inlinelimit
        )

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = SegmentLengths(reader) if reader is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader is not None:
            reader.close()
