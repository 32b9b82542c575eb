"""The index on disk: open or create it, and write documents in batches under Whoosh's lock.

One writer at a time (Whoosh's file lock, across processes); readers are never blocked, they
keep the segments they opened. Indexing progress is a document of the index itself, committed
with the documents it describes, so index and progress cannot disagree after a crash.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex, LockError
from whoosh.writing import CLEAR, IndexWriter

from search_index.schema import SCHEMA_VERSION, STATE, STATE_PK, build_schema
from search_index.segment_writer import LeanSegmentWriter

log = logging.getLogger(__name__)
WRITER_MEMORY_MB = 32  # postings held in memory before spilling to disk: peak RSS follows it
WRITE_LOCK = "MAIN_WRITELOCK"  # the lock every Whoosh writer of the index takes
SETTLE_SECONDS = 300.0  # longer than any transaction that stores mail


_states: dict[tuple[str, int, int], IndexState] = {}
_states_lock = threading.Lock()


class IndexBusy(Exception):
    """Another process holds the writer lock."""


@dataclass(frozen=True, slots=True)
class IndexState:
    """Every message with pk <= `mark` is indexed, and so is each of `recent` (pk -> when).

    Primary keys are handed out in order but may become visible out of order (concurrent
    transactions), so the mark only passes a pk once it has been indexed for `settle` seconds.
    """

    mark: int = 0
    recent: dict[int, float] = field(default_factory=dict)
    version: int = SCHEMA_VERSION

    def with_indexed(self, pks: Iterable[int], when: float) -> IndexState:
        recent = dict(self.recent)
        recent.update((pk, when) for pk in pks if pk > self.mark)
        return IndexState(self.mark, recent, self.version)

    def settled(self, now: float, settle: float = SETTLE_SECONDS) -> IndexState:
        """The mark moved past the recent pks indexed long enough ago, lowest first."""
        mark, recent = self.mark, dict(self.recent)
        for pk in sorted(recent):
            if recent[pk] > now - settle:
                break
            mark = pk
            del recent[pk]
        return IndexState(mark, recent, self.version)

    def to_stored(self) -> dict[str, object]:
        return {"version": self.version, "mark": self.mark, "recent": dict(self.recent)}

    @classmethod
    def from_stored(cls, stored: object) -> IndexState:
        if not isinstance(stored, dict):
            return cls()
        recent = stored.get("recent")
        return cls(
            mark=int(stored.get("mark", 0)),
            recent={int(k): float(v) for k, v in recent.items()}
            if isinstance(recent, dict)
            else {},
            version=int(stored.get("version", 0)),
        )


def open_unmapped(folder: Path) -> FileIndex:
    """The index in `folder`, read through the page cache rather than mmap: Whoosh copies
    each part of a compound segment it reads from a mapped file into the process's own
    memory (about the index's size, kept as long as the reader), for about a tenth less CPU
    time per search. Raises Whoosh's IndexError when there is no readable index."""
    return FileStorage(str(folder), supports_mmap=False).open_index()


def open_index(folder: Path) -> FileIndex:
    """The index in `folder`; created empty when missing, unreadable or of another schema
    (it is derived data: the next indexing rounds or `forum reindex` fill it again)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        ix = open_unmapped(folder)
    except index.IndexError:  # Whoosh's own: no index there, or one it cannot read
        return _create(folder)
    version = _version_of(ix)
    if version == SCHEMA_VERSION:
        return ix
    ix.close()
    log.warning(
        "search index in %s is of version %d, this release reads version %d: started afresh, "
        "it fills again from the archive as the worker runs (`forum reindex` does it at once)",
        folder,
        version,
        SCHEMA_VERSION,
    )
    return _create(folder)


def index_version(folder: Path) -> int | None:
    """The version of the index in `folder` (0 when its fields are not this release's),
    None when there is none; nothing is created or changed."""
    if not folder.is_dir() or not index.exists_in(str(folder)):
        return None
    try:
        ix = open_unmapped(folder)
    except index.IndexError:
        return None
    try:
        return _version_of(ix)
    finally:
        ix.close()


def _version_of(ix: FileIndex) -> int:
    if sorted(ix.schema.names()) != sorted(build_schema().names()):
        return 0
    return read_state(ix).version


def _create(folder: Path) -> FileIndex:
    """A new, empty index, made under the writer lock so no writer is cut off mid-batch."""
    lock = FileStorage(str(folder)).lock(WRITE_LOCK)
    if not lock.acquire(blocking=False):
        raise IndexBusy(str(folder))
    try:
        return index.create_in(str(folder), build_schema())
    finally:
        lock.release()


def read_state(ix: FileIndex) -> IndexState:
    """The progress committed in the index; remembered per commit, since opening a searcher
    on every segment each worker round would cost more than the round itself."""
    key = _commit_of(ix)
    with _states_lock:
        known = _states.get(key)
    if known is not None:
        return known
    with ix.searcher() as searcher:
        stored = searcher.document(pk=STATE_PK)
    state = IndexState.from_stored(stored.get("state") if stored else None)
    with _states_lock:
        if len(_states) >= 64:
            _states.clear()
        _states[key] = state
    return state


def _commit_of(ix: FileIndex) -> tuple[str, int, int]:
    """What identifies the latest commit: its table of contents, as a file (a recreated index
    starts its generations again)."""
    generation = ix.latest_generation()
    toc = Path(ix.storage.folder) / f"_{ix.indexname}_{generation}.toc"
    stat = toc.stat()
    return str(toc), stat.st_ino, stat.st_mtime_ns


@contextmanager
def writing(ix: FileIndex, timeout: float = 0.0, clear: bool = False) -> Iterator[IndexWriter]:
    """A writer that commits on success and cancels on error; `clear` drops all older data.

    Raises IndexBusy when another writer keeps the lock for `timeout` seconds.
    """
    try:
        writer = LeanSegmentWriter(ix, timeout=timeout, limitmb=WRITER_MEMORY_MB)
    except LockError as error:
        raise IndexBusy(str(ix.storage.folder)) from error
    try:
        yield writer
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=CLEAR) if clear else writer.commit()


def put_state(writer: IndexWriter, state: IndexState) -> None:
    writer.update_document(kind=STATE, pk=STATE_PK, state=state.to_stored())


def update_documents(writer: IndexWriter, docs: Iterable[dict[str, object]]) -> int:
    """Add or replace documents (by pk); returns how many."""
    count = 0
    for doc in docs:
        writer.update_document(**doc)
        count += 1
    return count


def add_documents(writer: IndexWriter, docs: Iterable[dict[str, object]]) -> int:
    """Add documents known not to be in the index (a rebuild): no lookup of older copies."""
    count = 0
    for doc in docs:
        writer.add_document(**doc)
        count += 1
    return count


def delete_documents(writer: IndexWriter, pks: Iterable[int]) -> None:
    for pk in pks:
        writer.delete_by_term("pk", str(pk))
