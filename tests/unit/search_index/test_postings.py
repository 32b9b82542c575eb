"""Document numbers read from a word's postings: added up in C, the same as Whoosh's own
decoding, block by block, within a search and outside one."""

from __future__ import annotations

from pathlib import Path

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
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
