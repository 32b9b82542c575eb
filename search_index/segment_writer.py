"""Whoosh's segment writer, with four of its costs taken out and the index it writes
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
  either (a segment written before is read as it was, and rewritten so when merged);
- the terms and postings files count their own position (`CountedFile`).

It also writes a segment for another writer, one holding the lock, to adopt at its commit
(`finish_unlocked`, `adopt`): how a second process shares a rebuild (`second_writer`).
"""

from __future__ import annotations

import pickle  # noqa: S403 - the writer's own spilled postings and blocks, read by Whoosh
import zlib
from collections.abc import Callable, Iterable, Iterator
from copy import copy
from itertools import islice
from typing import Any

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.filedb.structfile import IS_LITTLE, StructFile
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


class CountedFile(StructFile):  # type: ignore[misc]
    """A file being written that counts its own position: Whoosh asks a new segment's terms
    and postings files where they are two or three times a term, and each time the buffered
    file asked the operating system (a system call, 7% of a rebuild)."""

    _at: int

    @classmethod
    def counting(cls, file: StructFile) -> None:
        """`file` (open for writing, at its end) counts from now on."""
        file.__class__ = cls
        file._at = file.file.tell()

    def write(self, data: bytes) -> int:
        written: int = self.file.write(data)
        self._at += written
        return written

    def tell(self) -> int:
        return self._at

    def write_pickle(self, obj: object, protocol: int = -1) -> None:
        self.write(pickle.dumps(obj, protocol))

    def write_array(self, arry: Any) -> None:
        if IS_LITTLE:  # (stored big-endian, as Whoosh's own writes it)
            arry = copy(arry)
            arry.byteswap()
        self.write(arry.tobytes())

    def seek(self, *args: Any, **kwargs: Any) -> int:
        self._at = self.file.seek(*args, **kwargs)
        return self._at


class LeanSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's SegmentWriter with the pool, the length lookups and the blocks above."""

    def __init__(self, ix: FileIndex, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self._adopted: list[Callable[[], Any | None]] = []
        self.pool = ChunkedPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)
        codec = self.codec
        fields = self.fieldwriter
        fields._codec = BinaryBlocksCodec(codec._blocklimit, codec._compression, codec._inlinelimit)
        CountedFile.counting(fields._postfile)
        CountedFile.counting(fields._tindex.dbfile)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = SegmentLengths(reader) if reader is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader is not None:
            reader.close()

    def adopt(self, segment: Callable[[], Any | None]) -> None:
        """At commit, once this writer's own segment is written, ask `segment` for one
        written for this writer by another (`finish_unlocked`; None if there is none) and
        commit it ahead of this writer's own: its documents number first."""
        self._adopted.append(segment)

    def finish_unlocked(self) -> Any | None:
        """Write the segment of a writer made without the lock (`_lk=False`) for the writer
        holding it to adopt; None when nothing was added. The temporary folder is left: it
        is the locked writer's too (Whoosh names it after the index), which removes it."""
        self.is_closed = True
        if not self._added:
            self._close_segment()
            return None
        return self._finalize_segment()

    def commit(self, mergetype: Any = None, optimize: Any = None, merge: Any = None) -> None:
        """Whoosh's commit, with the adopted segments asked for after this writer's own is
        written (the other writer works meanwhile)."""
        self._check_state()
        kept: list[Any] = self._merge_segments(mergetype, optimize, merge)
        own = [self._finalize_segment()] if self._added else []
        if not own:
            self._close_segment()
        try:
            adopted = [segment for source in self._adopted if (segment := source()) is not None]
        except BaseException:
            self._finish()  # the lock released, the new files left for the next commit to remove
            raise
        self._commit_toc([*kept, *adopted, *own])
        self._finish()
