"""Phrases checked by word positions give exactly what Whoosh's own phrase query gives."""

from __future__ import annotations

from pathlib import Path

from whoosh import fields, index
from whoosh import query as wq

from search_index.phrases import loosened, required_phrases, with_phrases

TEXTS = [
    "linux mips port",
    "mips linux port",
    "the linux kernel on mips, linux mips",
    "linux and mips",
    "a linux mips linux mips b",
    "nothing here",
]


def _index(tmp_path: Path) -> index.FileIndex:
    ix = index.create_in(str(tmp_path), fields.Schema(n=fields.ID(stored=True), t=fields.TEXT))
    with ix.writer() as writer:
        for n, text in enumerate(TEXTS):
            writer.add_document(n=str(n), t=text)
    return ix


def test_the_phrase_check_finds_what_whoosh_phrases_find(tmp_path: Path) -> None:
    ix = _index(tmp_path)
    with ix.searcher() as searcher:
        for words in (
            ["linux", "mips"],
            ["mips", "linux"],
            ["linux", "mips", "port"],
            ["a", "b"],
            ["linux", "mips", "linux", "mips"],
            ["mips", "linux", "mips"],
            ["mips"],
        ):
            phrase = wq.Phrase("t", words)
            expected = set(searcher.docs_for_query(phrase))
            candidates = set(searcher.docs_for_query(loosened(phrase, [phrase])))
            assert with_phrases(searcher.reader(), candidates, [phrase]) == expected


def test_only_phrases_every_result_must_contain_are_loosened() -> None:
    required = wq.Phrase("t", ["linux", "mips"])
    optional = wq.Phrase("t", ["a", "b"])
    match = wq.And(
        [required, wq.Or([optional, wq.Term("t", "c")]), wq.Not(wq.Phrase("t", ["x", "y"]))]
    )
    assert required_phrases(match) == [required]
    loose = loosened(match, required_phrases(match))
    assert loose.subqueries[0] == wq.And([wq.Term("t", "linux"), wq.Term("t", "mips")])
    assert loose.subqueries[1] == match.subqueries[1]


def test_ranking_is_unchanged_when_the_phrase_is_loosened(tmp_path: Path) -> None:
    ix = _index(tmp_path)
    phrase = wq.Phrase("t", ["linux", "mips"])
    with ix.searcher() as searcher:
        docs = set(searcher.docs_for_query(phrase))
        before = searcher.search(phrase, filter=docs)
        after = searcher.search(loosened(phrase, [phrase]), filter=docs)
        assert [(hit.docnum, hit.score) for hit in before] == [
            (hit.docnum, hit.score) for hit in after
        ]
