"""One word's postings in one segment, read a block at a time and only where wanted: a block
holding none of the wanted documents is passed over unread (its highest document number is in
its header), which is most of them when a few documents out of a common word's are wanted.

Within `shared_blocks()` (one search), each block is unpickled once, however many matchers
read it: a search reads its words' blocks to find the documents, again to check a phrase and
again to rank, and unpickling a block (document numbers, weights and every posting's
positions at once) was the dearest step of all. Its document numbers, stored as the gaps
between them, are added up once too, by `itertools.accumulate` in C rather than Whoosh's
generator (`install` gives Whoosh's own matchers the same). And the small pickled header
of each block (its length, highest number, highest weight...) is read from the file in one
call, where unpickling it straight from the file asked for its bytes a few at a time, some
twenty calls through Whoosh's file layers for each block passed."""

from __future__ import annotations

import io
import pickle
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Set
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import accumulate
from pickle import loads  # noqa: S403 - our own index's postings, as Whoosh reads them
from typing import Any

from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.structfile import StructFile
from whoosh.formats import Positions
from whoosh.matching import FilterMatcher
from whoosh.matching.mcore import ListMatcher

LEAVES = (W3LeafMatcher, ListMatcher)  # on disk in blocks; a word's few, in its term info

# The blocks unpickled in the current search: (posting file, offset) -> Whoosh's data tuple,
# and (posting file, offset, IDS) -> the block's document numbers.
_decoded: ContextVar[dict[tuple[int, ...], Any] | None] = ContextVar("decoded", default=None)
IDS = 0


@contextmanager
def shared_blocks() -> Iterator[None]:
    """Within: each block of postings is unpickled once (the searcher stays open, so its
    posting files, whose identities are the keys, do too)."""
    token = _decoded.set({})
    try:
        yield
    finally:
        _decoded.reset(token)


def load_block(matcher: Any) -> None:
    """The data of a W3 leaf matcher's current block, unpickled or as already unpickled."""
    if matcher._data is not None:
        return
    decoded = _decoded.get()
    if decoded is None:
        matcher._read_data()
        return
    key = (id(matcher._postfile), matcher._dataoffset)
    data = decoded.get(key)
    if data is None:
        matcher._read_data()
        decoded[key] = matcher._data
    else:
        matcher._data = data


def load_ids(matcher: Any) -> None:
    """The document numbers of a W3 leaf matcher's current block, decoded or as decoded."""
    if matcher._ids is not None:
        return
    decoded = _decoded.get()
    key = (id(matcher._postfile), matcher._dataoffset, IDS)
    ids = None if decoded is None else decoded.get(key)
    if ids is None:
        load_block(matcher)
        _read_ids(matcher)
        if decoded is not None:
            decoded[key] = matcher._ids
    else:
        matcher._ids = ids


def _read_ids(matcher: Any) -> None:
    """`W3LeafMatcher._read_ids`, the gaps added up in C: the same tuple."""
    if matcher._data is None:
        matcher._read_data()
    ids = matcher._data[0]
    matcher._ids = ids if matcher._byteids else tuple(accumulate(ids))


PICKLE_READ = 256  # bytes read at once for a pickled value: a block's header is about 40


def _read_pickle(self: StructFile) -> Any:
    """`StructFile.read_pickle`: the value pickled at the file's position, the file left just
    after it, its bytes read at once (a longer value is read as Whoosh reads it)."""
    start = self.tell()
    chunk = io.BytesIO(self.read(PICKLE_READ))
    try:
        value = pickle.load(chunk)  # noqa: S301 - our own index's files
    except (EOFError, pickle.UnpicklingError):  # (unpickling ends only at its STOP code)
        self.seek(start)
        return pickle.load(self.file)  # noqa: S301
    self.seek(start + chunk.tell())
    return value


def install() -> None:
    """Whoosh's leaf matchers decode their document numbers with `_read_ids`, and its files
    read pickled values with `_read_pickle`. Idempotent."""
    whoosh3.W3LeafMatcher._read_ids = _read_ids
    StructFile.read_pickle = _read_pickle


def leaf(matcher: Any) -> Any:
    """The postings under a segment's filter of deleted documents."""
    return matcher.child if type(matcher) is FilterMatcher else matcher


def wanted(matcher: Any, docs: Set[int]) -> Iterator[tuple[int, int]]:
    """(document number, index in the current block) of each of `docs` in a W3 leaf
    matcher's postings, from the first; between two yields the matcher stays on the block,
    so the caller can read that posting's weight or value."""
    for ids in wanted_blocks(matcher, docs):
        for i in range(matcher._i, len(ids)):
            if ids[i] in docs:
                yield ids[i], i


def wanted_blocks(matcher: Any, docs: Set[int]) -> Iterator[tuple[int, ...]]:
    """The document numbers of each block of a W3 leaf matcher's postings that holds one of
    `docs`, from the first; the matcher stays on that block until the next."""
    in_order = sorted(docs)
    matcher.reset()  # Whoosh's matchers may have stepped it on already
    passed = -1  # the highest document number of the blocks gone by
    last = in_order[-1] if in_order else -1
    while matcher.is_active() and passed < last:  # (no block after the last wanted is read)
        highest = matcher.block_max_id()
        first = bisect_right(in_order, passed)
        if first < len(in_order) and in_order[first] <= highest:
            load_ids(matcher)
            yield matcher._ids
        passed = highest
        matcher._next_block()


def stepped(matcher: Any, docs: Set[int]) -> Iterator[int]:
    """Each of `docs` in any matcher's postings, stepping through them one at a time."""
    matcher.reset()
    while matcher.is_active():
        if matcher.id() in docs:
            yield matcher.id()
        matcher.next()


def positions(matcher: Any, docs: Set[int]) -> Iterator[tuple[int, Iterable[int]]]:
    """The word's positions in each of `docs` that holds it, in order, each read before the
    next document's."""
    if type(matcher) is not W3LeafMatcher:
        for docnum in stepped(matcher, docs):
            yield docnum, matcher.value_as("positions")
        return
    decode = _positions if type(matcher.format) is Positions else matcher.format.decode_positions
    for docnum, i in wanted(matcher, docs):
        if matcher._values is None:
            load_block(matcher)
            matcher._read_values()
        yield docnum, decode(matcher._values[i])


def _positions(value: bytes) -> Iterator[int]:
    """Whoosh's Positions value: the count (4 bytes), then the pickled gaps between them
    (what `Positions.decode_positions` reads, without its loop in Python)."""
    pickled = value[4:] if value.endswith(b".") else value[4:] + b"."
    return accumulate(loads(pickled))  # noqa: S301 - written by our own indexer


def in_sequence(words: list[Any], docs: Set[int]) -> set[int]:
    """The documents among `docs` where the words (their postings, in the phrase's order)
    follow one right after the other; each word read only for the documents still in it."""
    if not words:
        return set()
    # where the phrase may start in each document still in the running
    starts = {docnum: frozenset(at) for docnum, at in positions(leaf(words[0]), docs)}
    for offset, word in enumerate(words[1:-1], start=1):
        back = (-offset).__add__  # a position of this word, as its phrase's start
        starts = {
            docnum: kept
            for docnum, at in positions(leaf(word), set(starts))
            if (kept := starts[docnum].intersection(map(back, at)))
        }
    if len(words) == 1:
        return set(starts)
    back = (1 - len(words)).__add__  # the last word: one start it ends is enough
    last = positions(leaf(words[-1]), set(starts))
    return {docnum for docnum, at in last if not starts[docnum].isdisjoint(map(back, at))}
