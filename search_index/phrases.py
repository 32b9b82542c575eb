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
    """Documents where the words follow each other; each word's postings are read only for
    the documents still in the running."""
    starts = _positions(reader, field, words[0], docs)
    for offset, word in enumerate(words[1:], start=1):
        if not starts:
            break
        later = _positions(reader, field, word, set(starts))
        starts = {
            docnum: kept
            for docnum, at in later.items()
            if (kept := frozenset(p for p in starts[docnum] if p + offset in at))
        }
    return set(starts)


SKIP_RATIO = 8  # fewer wanted documents than 1/8 of a word's postings: skip, don't walk


def _positions(
    reader: IndexReader, field: str, word: str, docs: set[int]
) -> dict[int, frozenset[int]]:
    """The positions of `word` in each of `docs` that has it: its postings walked in order,
    or skipped through when only a few of them are wanted."""
    if not docs or (field, word) not in reader:
        return {}
    matcher = reader.postings(field, word)
    found: dict[int, frozenset[int]] = {}
    if len(docs) * SKIP_RATIO < reader.doc_frequency(field, word):
        for docnum in sorted(docs):
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
            if not matcher.is_active():
                break
            if matcher.id() == docnum:
                found[docnum] = frozenset(matcher.value_as("positions"))
        return found
    while matcher.is_active():
        docnum = matcher.id()
        if docnum in docs:
            found[docnum] = frozenset(matcher.value_as("positions"))
        matcher.next()
    return found
