"""Phrases the cheap way: find the documents with every word first, then check the word
positions only where a phrase must match, with plain sets instead of Whoosh's span objects.

A phrase every result must contain is taken out of the Whoosh query and replaced by the AND
of its words: the same documents once the phrase is checked, and the same score (Whoosh
scores a phrase as the AND of its words), without checking positions a second time while
ranking. Phrases under OR or NOT stay Whoosh phrases: there the words alone would differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from whoosh import query as wq
from whoosh.reading import IndexReader

from search_index.postings import in_sequence, leaf


def required_phrases(match: wq.Query) -> list[wq.Phrase]:
    """The phrases of `match` that every document it finds contains."""
    clauses = match.subqueries if isinstance(match, wq.And) else [match]
    return [q for q in clauses if isinstance(q, wq.Phrase) and q.slop == 1]


def loosened(query: wq.Query, phrases: Sequence[wq.Phrase]) -> wq.Query:
    """`query` with each of `phrases` (these very objects) replaced by the AND of its words."""
    targets = {id(phrase) for phrase in phrases}

    def swap(node: wq.Query) -> wq.Query:
        if id(node) in targets:
            return wq.And([wq.Term(node.fieldname, w) for w in node.words], boost=node.boost)
        return node.apply(swap)

    return swap(query) if targets else query


def with_phrases(reader: IndexReader, docs: set[int], phrases: Iterable[wq.Phrase]) -> set[int]:
    """The documents among `docs` that contain every phrase, word after word."""
    for phrase in phrases:
        if not docs:
            break
        docs = _containing(reader, phrase.fieldname, list(phrase.words), docs)
    return docs


def _containing(reader: IndexReader, field: str, words: list[str], docs: set[int]) -> set[int]:
    """The documents among `docs` where the words follow each other, segment by segment."""
    found: set[int] = set()
    for segment, offset in reader.leaf_readers():
        end = offset + segment.doc_count_all()
        local = {docnum - offset for docnum in docs if offset <= docnum < end}
        if not local or any((field, word) not in segment for word in words):
            continue
        postings = [leaf(segment.postings(field, word)) for word in words]
        found.update(offset + docnum for docnum in in_sequence(postings, local))
    return found
