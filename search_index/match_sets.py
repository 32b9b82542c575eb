"""The documents a query finds, as a set, the fast way: each word's postings read a block at
a time and combined with set operations, instead of stepping Whoosh's matchers one document at
a time (about twice as fast for a two-word query with thousands of hits). The same documents
as `Searcher.docs_for_query`; any query part other than words, AND, OR and AND NOT is left to
Whoosh."""

from __future__ import annotations

from collections.abc import Iterable

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import FilterMatcher, Matcher
from whoosh.searching import Searcher

from search_index.postings import load_ids


def matching_docs(searcher: Searcher, query: wq.Query) -> set[int]:
    """Every document `query` finds (global document numbers)."""
    if isinstance(query, wq.Term):
        return _term_docs(searcher, query)
    if isinstance(query, wq.And) and query.subqueries:
        wanted = [q for q in query.subqueries if not isinstance(q, wq.Not)]
        if wanted:
            found = set.intersection(*(matching_docs(searcher, q) for q in wanted))
            for excluded in query.subqueries:
                if isinstance(excluded, wq.Not) and found:
                    found -= matching_docs(searcher, excluded.query)
            return found
    if isinstance(query, wq.Or) and not any(isinstance(q, wq.Not) for q in query.subqueries):
        return set().union(*(matching_docs(searcher, q) for q in query.subqueries))
    return set(searcher.docs_for_query(query))


def _term_docs(searcher: Searcher, term: wq.Term) -> set[int]:
    if term.fieldname not in searcher.schema:
        return set()
    text = searcher.schema[term.fieldname].to_bytes(term.text)
    found: set[int] = set()
    for segment, offset in searcher.reader().leaf_readers():
        if (term.fieldname, text) not in segment:
            continue
        matcher = segment.postings(term.fieldname, text)
        deleted: frozenset[int] | set[int] = frozenset()
        if isinstance(matcher, FilterMatcher):  # the segment's deleted documents left out
            matcher, deleted = matcher.child, segment.deleted_docs_set
        found.update(map(offset.__add__, set(_ids(matcher)).difference(deleted)))
    return found


def _ids(matcher: Matcher) -> Iterable[int]:
    """Every document number of one word's postings, a block at a time."""
    ids: list[int] = []
    if not isinstance(matcher, W3LeafMatcher):
        ids.extend(matcher.all_ids())
        return ids
    while matcher.is_active():
        load_ids(matcher)
        ids.extend(matcher._ids[matcher._i :])
        matcher._next_block()
    return ids
