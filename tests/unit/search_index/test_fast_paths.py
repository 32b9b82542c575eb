"""The searcher's fast paths give exactly Whoosh's own answers, over several segments, after
deletions and after a merge: each text field's per-document lengths held in memory (read
once per segment) rank as Whoosh ranks, and the found set built from postings a block at a
time is the set Whoosh's matchers find."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage

from search_index import searcher
from search_index.documents import MessageRow, document
from search_index.indexer import delete_documents, open_index, update_documents, writing
from search_index.match_sets import matching_docs
from search_index.query import parse, to_whoosh
from search_index.ranking import top_documents, union_trees
from search_index.searcher import SearchRequest, search

DAY = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ROW = MessageRow(
    pk=0,
    list_name="bench",
    list_id=1,
    thread_id=1,
    message_hash="",
    subject="",
    sender_name="Ralf",
    sender_email="ralf@example.org",
    date=DAY,
    received_at=DAY,
    body_text="",
)
WORDS = ["linux", "mips", "kernel", "cache", "flush", "patch", "driver", "memory"]


def _rows(first: int, count: int) -> list[MessageRow]:
    """Messages of different lengths and word counts, so that lengths decide the order."""
    return [
        replace(
            ROW,
            pk=pk,
            thread_id=pk,
            subject=f"{WORDS[pk % 8]} {WORDS[(pk * 3) % 8]}",
            body_text=" ".join(WORDS[(pk + n) % 8] for n in range(pk % 13 + 1)) + " end" * pk,
        )
        for pk in range(first, first + count)
    ]


def _whooshs_own(folder: Path, text: str, limit: int) -> list[int]:
    """Whoosh's ranking of every match (its top-N alone skips blocks of postings it judges
    cannot reach the top, and can misjudge: see test_whooshs_top_n_can_miss_a_better_hit)."""
    ix = FileStorage(str(folder), supports_mmap=False).open_index()
    compiled = to_whoosh(parse(text))
    with ix.searcher() as searcher:
        found = searcher.search(union_trees(compiled.scored), limit=None)
        return [int(hit["pk"]) for hit in found][:limit]


def _ours(folder: Path, text: str, limit: int) -> list[int]:
    results = search(folder, SearchRequest(parse(text), per_page=limit))
    return [hit.pk for hit in results.hits]


def test_results_keep_whooshs_order_across_segments_deletions_and_merges(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    for first in (1, 41, 81):  # three commits: three segments
        with writing(open_index(folder)) as writer:
            update_documents(writer, (document(row) for row in _rows(first, 40)))
    queries = [
        "linux",
        "mips kernel",
        "cache",
        "patch driver memory",
        '"linux mips"',
        '"end end" flush',
    ]
    for text in queries:
        assert _ours(folder, text, 15) == _whooshs_own(folder, text, 15), text
    held = {key[0] for key in searcher._lengths[folder]}
    assert len(held) == 3  # the lengths in memory were the ones used: one set a segment
    with writing(open_index(folder)) as writer:
        delete_documents(writer, [3, 50, 99])
    for text in queries:
        assert _ours(folder, text, 15) == _whooshs_own(folder, text, 15), text
    merged = open_index(folder)
    merged.optimize()  # every segment merged into one
    with merged.reader() as reader:
        assert len(reader.leaf_readers()) == 1
    for text in queries:
        assert _ours(folder, text, 15) == _whooshs_own(folder, text, 15), text
    assert len({key[0] for key in searcher._lengths[folder]}) == 1  # merged segments dropped


def test_closing_the_kept_searchers_closes_their_files_and_a_search_opens_them_again(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "index"
    with writing(open_index(folder)) as writer:
        update_documents(writer, (document(row) for row in _rows(1, 10)))
    first = _ours(folder, "linux", 5)
    kept = searcher._idle[folder][0].searcher
    assert not kept.is_closed
    searcher.close_searchers(folder)
    assert kept.is_closed
    assert searcher._idle.get(folder, []) == []
    assert _ours(folder, "linux", 5) == first != []


QUERIES = [
    "linux",
    "mips kernel",
    "cache OR flush",
    "patch -driver",
    "memory -linux -mips",
    "-kernel",
    "linux OR -mips",
    '"linux mips"',
    "linux OR -mips",
    "subject:linux driver",
    "from:ralf kernel",
    "list:bench memory",
    "in:thread:7",
    "has:attachment",
    "on:2026 cache",
    "zyxwvut",
    "kernel zyxwvut",
]


def _same_sets(folder: Path) -> None:
    ix = FileStorage(str(folder), supports_mmap=False).open_index()
    with ix.searcher() as whooshs:
        for text in QUERIES:
            query = to_whoosh(parse(text)).match
            assert matching_docs(whooshs, query) == set(whooshs.docs_for_query(query)), text


def test_found_sets_are_whooshs_across_segments_deletions_and_merges(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    for first in (1, 41, 81):
        with writing(open_index(folder)) as writer:
            update_documents(writer, (document(row) for row in _rows(first, 40)))
    _same_sets(folder)
    with writing(open_index(folder)) as writer:
        delete_documents(writer, [3, 7, 50, 99])
    _same_sets(folder)
    open_index(folder).optimize()
    _same_sets(folder)


# Every kind of query part the ranking fast path scores: words and their stems, AND, OR,
# AND NOT, NOT under OR, phrases required or under OR, fields, dates under OR.
RANKED = [
    "linux mips",
    "mips kernel cache",
    "linuxes mips",
    '"linux mips"',
    '"cache flush" driver',
    "memory -linux patch",
    "subject:linux driver",
    "from:ralf kernel flush",
    "patch OR driver memory",
    "kernel mips -zyxwvut",
    "linux OR -mips",
    '"cache flush" OR patch',
    "on:2026 OR cache",
    "memory",
    "mips",
]


def _same_ranking(folder: Path) -> None:
    ix = FileStorage(str(folder), supports_mmap=False).open_index()
    with ix.searcher() as whooshs:
        for text in RANKED:
            compiled = to_whoosh(parse(text))
            for scored in (compiled.scored, union_trees(compiled.scored)):
                docs = set(whooshs.docs_for_query(scored))
                assert docs, text
                everything = [hit.docnum for hit in whooshs.search(scored, limit=None)]
                for limit in (1, 3, 8, len(docs) + 1):  # first pages; every tie in order
                    ours = top_documents(whooshs, scored, docs, limit)
                    assert ours == everything[:limit], (text, limit)


def test_ranking_fast_path_gives_whooshs_order_across_segments_deletions_and_merges(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "index"
    for first in (1, 41, 81):
        with writing(open_index(folder)) as writer:
            update_documents(writer, (document(row) for row in _rows(first, 40)))
    _same_ranking(folder)
    with writing(open_index(folder)) as writer:
        delete_documents(writer, [3, 7, 50, 99])
    _same_ranking(folder)
    open_index(folder).optimize()
    _same_ranking(folder)


def test_ranking_fast_path_gives_whooshs_order_over_many_blocks_of_postings(
    tmp_path: Path,
) -> None:
    """Words with hundreds of postings a segment (blocks of 128, scored a block at a time,
    whole or in part), many equal scores at the page's edge, and deletions inside blocks."""
    folder = tmp_path / "index"
    for first in (1, 501):
        with writing(open_index(folder)) as writer:
            update_documents(writer, (document(row) for row in _rows(first, 500)))
    _same_ranking(folder)
    with writing(open_index(folder)) as writer:
        delete_documents(writer, list(range(5, 1000, 7)))
    _same_ranking(folder)


def test_ranking_fast_path_leaves_to_whoosh_what_it_does_not_score(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    with writing(open_index(folder)) as writer:
        update_documents(writer, (document(row) for row in _rows(1, 40)))
    ix = FileStorage(str(folder), supports_mmap=False).open_index()
    scored = wq.DisjunctionMax([wq.Term("text", "linux"), wq.Term("text", "mips")])
    with ix.searcher() as whooshs:
        docs = set(whooshs.docs_for_query(scored))
        assert docs
        assert top_documents(whooshs, scored, docs, 10) is None


def test_whooshs_top_n_misses_better_hits_unless_its_ors_are_union_trees(tmp_path: Path) -> None:
    """Why the searcher gives Whoosh union trees: with an OR's scores added up in an array
    (small segments), Whoosh's top-N leaves out messages that score higher than some it
    keeps; with union trees its top-N is its whole ranking's first N, at every N."""
    folder = tmp_path / "index"
    for first in (1, 41, 81, 121, 161):  # five segments, as mail arrives
        with writing(open_index(folder)) as writer:
            update_documents(writer, (document(row) for row in _rows(first, 40)))
    ix = FileStorage(str(folder), supports_mmap=False).open_index()
    with ix.searcher() as whooshs:
        arrays = to_whoosh(parse("memory")).scored
        everything = [hit.docnum for hit in whooshs.search(arrays, limit=None)]
        assert any(
            [hit.docnum for hit in whooshs.search(arrays, limit=limit)] != everything[:limit]
            for limit in (2, 5, 8, 15)
        )
        for text in [*WORDS, "linuxes", "subject:linux", "memory -linux", "end"]:
            scored = union_trees(to_whoosh(parse(text)).scored)
            everything = [hit.docnum for hit in whooshs.search(scored, limit=None)]
            for limit in range(1, 30):
                top_n = [hit.docnum for hit in whooshs.search(scored, limit=limit)]
                assert top_n == everything[:limit], (text, limit)
    for text in ("memory", "mips", "cache"):
        assert _ours(folder, text, 15) == _whooshs_own(folder, text, 15), text
