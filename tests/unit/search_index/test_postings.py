"""Postings read the quick way: document numbers added up in C, the same as Whoosh's own
decoding, block by block, within a search and outside one; pickled values (a block's header)
read at once, the same values, the file left at the same place."""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from pathlib import Path

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.structfile import StructFile
from whoosh.util.numlists import delta_decode

from search_index import postings
from search_index.documents import document
from search_index.indexer import open_index, update_documents, writing
from search_index.match_sets import matching_docs

from .test_fast_paths import _rows


def _blocks(matcher: W3LeafMatcher) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Each block's numbers as decoded here, and as Whoosh's generator decodes its data."""
    blocks = []
    while matcher.is_active():
        postings.load_ids(matcher)
        if matcher._data is None:  # (the first block's numbers may be read already)
            matcher._read_data()
        blocks.append((tuple(matcher._ids), tuple(delta_decode(matcher._data[0]))))
        matcher._next_block()
    return blocks


def test_document_numbers_are_decoded_as_whoosh_decodes_them(tmp_path: Path) -> None:
    ix = open_index(tmp_path / "index")
    with writing(ix) as writer:  # more than one block of postings for the common words
        update_documents(writer, (document(row) for row in _rows(1, 700)))
    postings.install()
    with ix.searcher() as searcher, postings.shared_blocks():
        reader = searcher.reader()
        for word in ("linux", "end", "mips"):
            for _time in range(2):  # the second time, as already decoded in this search
                blocks = _blocks(postings.leaf(reader.postings("text", word)))
                assert len(blocks) > 1
                assert all(ours == whooshs for ours, whooshs in blocks)
        stepped = list(reader.postings("text", "end").all_ids())  # Whoosh's own stepping
        assert stepped == sorted(stepped)
        assert set(stepped) == matching_docs(searcher, wq.Term("text", "end"))
        assert len(stepped) == 700


def test_pickled_values_are_read_as_whoosh_reads_them() -> None:
    values = [(3, 700, 2.5, 0, 1, 9), "x" * 1000, None, list(range(300)), {"a": b"\x00." * 9}]
    buffer = io.BytesIO()
    writer = StructFile(buffer)
    for value in values:
        writer.write_pickle(value)
    writer.write(b"tail")
    data = buffer.getvalue()

    def read_all(read: Callable[[StructFile], object]) -> list[tuple[object, int]]:
        reader = StructFile(io.BytesIO(data))
        return [(read(reader), reader.tell()) for _ in values]

    whooshs = read_all(lambda file: pickle.load(file.file))  # noqa: S301 - as Whoosh reads
    assert read_all(postings._read_pickle) == whooshs
    assert [value for value, _ in whooshs] == values
    postings.install()
    assert read_all(StructFile.read_pickle) == whooshs
