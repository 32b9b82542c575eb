"""The lean segment writer writes the very index Whoosh's own writer does: every term, its
postings (document, weight, positions), block and term statistics, field lengths and stored
fields, when postings spill to disk and when a commit merges segments."""

from __future__ import annotations

import pickle
import random
import zlib
from datetime import datetime
from email.parser import BytesHeaderParser
from itertools import islice
from pathlib import Path
from typing import Any

from whoosh.index import FileIndex
from whoosh.writing import SegmentWriter

from archive.mbox import iter_mbox, open_archive
from search_index.indexer import open_index
from search_index.schema import MESSAGE
from search_index.segment_writer import BLOCK_PROTOCOL, LeanSegmentWriter

SCORED_FIELDS = ("text", "text_exact", "text_stem", "pairs", "subject", "sender")


def _documents(corpus: Path, count: int) -> list[dict[str, object]]:
    """Real, messy mail as search documents: each message's raw text as its words."""
    docs: list[dict[str, object]] = []
    path = corpus / "lists" / "usrp-users-2020-09_2021-12.mbox.xz"
    with open_archive(path) as stream:
        for pk, message in enumerate(islice(iter_mbox(stream), count), start=1):
            headers = BytesHeaderParser().parsebytes(message.raw)
            text = message.raw.decode("utf-8", "replace")
            docs.append(
                {
                    "kind": MESSAGE,
                    "pk": str(pk),
                    "list": "usrp",
                    "list_id": "1",
                    "thread": str(pk // 3),
                    "date": datetime(2021, 1, 1 + pk % 28),
                    "year": "2021",
                    "text": text,
                    "text_exact": text,
                    "text_stem": text,
                    "pairs": text,
                    "subject": str(headers.get("Subject", "")),
                    "sender": str(headers.get("From", "")),
                }
            )
    return docs


def _write(folder: Path, writer_class: Any, docs: list[dict[str, object]]) -> FileIndex:
    """Three commits, of `writer_class` (or of each of three writer classes in turn)."""
    ix = open_index(folder)
    third = len(docs) // 3
    classes = writer_class if isinstance(writer_class, list) else [writer_class] * 3
    for part, each_class in zip(
        (docs[:third], docs[third : 2 * third], docs[2 * third :]), classes, strict=True
    ):
        writer = each_class(ix, limitmb=1)  # spills runs to disk; later commits merge
        for doc in part:
            writer.add_document(**doc)
        writer.commit()
    return ix


def _contents(ix: FileIndex) -> list[object]:
    seen: list[object] = []
    with ix.reader() as top:
        for reader, offset in top.leaf_readers():
            seen.append(("segment", offset, reader.doc_count_all()))
            for field, text in reader.all_terms():
                info = reader.term_info(field, text)
                seen.append((field, text, info.weight(), info.doc_frequency()))
                seen.append((info.min_length(), info.max_length(), info.max_weight()))
                matcher = reader.postings(field, text)
                while matcher.is_active():
                    block = (matcher.block_min_length(), matcher.block_max_length())
                    seen.append((matcher.id(), matcher.weight(), matcher.value(), block))
                    matcher.next()
            for docnum in range(reader.doc_count_all()):
                seen.append([reader.doc_field_length(docnum, f) for f in SCORED_FIELDS])
                seen.append(sorted(reader.stored_fields(docnum).items()))
    return seen


def test_the_lean_writer_writes_what_whooshs_writer_writes(corpus: Path, tmp_path: Path) -> None:
    docs = _documents(corpus, 120)
    random.seed(17)  # segment names
    expected = _contents(_write(tmp_path / "whoosh", SegmentWriter, docs))
    random.seed(17)
    written = _contents(_write(tmp_path / "lean", LeanSegmentWriter, docs))
    assert len(written) > 50_000  # the postings of every segment, compared one by one
    assert written == expected


def test_an_index_whooshs_writer_began_is_merged_into_the_same_index(
    corpus: Path, tmp_path: Path
) -> None:
    docs = _documents(corpus, 120)
    random.seed(17)
    expected = _contents(_write(tmp_path / "whoosh", SegmentWriter, docs))
    random.seed(17)
    classes = [SegmentWriter, LeanSegmentWriter, LeanSegmentWriter]  # as after an upgrade
    assert _contents(_write(tmp_path / "mixed", classes, docs)) == expected


def test_blocks_are_pickled_with_bytes_as_bytes(corpus: Path, tmp_path: Path) -> None:
    ix = _write(tmp_path, LeanSegmentWriter, _documents(corpus, 120))
    with ix.reader() as top:
        reader, _offset = next(iter(top.leaf_readers()))
        matcher = reader.postings("text", "the")  # in every message
        blocks = 0
        while matcher.is_active():
            raw = matcher._postfile.get(
                matcher._dataoffset, matcher._nextoffset - matcher._dataoffset
            )
            assert zlib.decompress(raw)[:2] == pickle.PROTO + bytes([BLOCK_PROTOCOL])
            matcher._next_block()
            blocks += 1
    assert blocks


def test_the_lean_writer_spills_postings_to_disk_in_chunks(corpus: Path, tmp_path: Path) -> None:
    ix = open_index(tmp_path)
    writer = LeanSegmentWriter(ix, limitmb=1)
    for doc in _documents(corpus, 120):
        writer.add_document(**doc)
    assert writer.pool.runs  # sorted runs written while documents were added
    writer.commit()
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 120
