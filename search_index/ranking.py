"""Ranking the found documents: Whoosh's own scores, computed only for the documents already
found, a word's postings a block at a time, instead of stepping Whoosh's matcher tree through
every posting of every word (most of a two-word query's time when it has thousands of hits).
Every found document is scored: Whoosh's own top-N skips blocks of postings it judges cannot
reach the page, and with an OR in a small segment it misjudges and drops better hits.

The scores are Whoosh's to the last bit: each segment's matcher tree is built by Whoosh
itself, each word is scored by Whoosh's own scorer, and the scores are added up in the order
and grouping of that tree's matchers (floating-point addition is commutative but not
associative; ties go to the lower document number, as in Whoosh). A tree with a matcher this
module does not know gives None, and the caller lets Whoosh rank.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Set
from itertools import chain, compress
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching import (
    AndMaybeMatcher,
    AndNotMatcher,
    FilterMatcher,
    IntersectionMatcher,
    InverseMatcher,
    Matcher,
    UnionMatcher,
    WrappingMatcher,
)
from whoosh.matching.combo import ArrayUnionMatcher
from whoosh.matching.mcore import ListMatcher, NullMatcherClass
from whoosh.query.compound import DefaultOr
from whoosh.query.spans import SpanNear2
from whoosh.scoring import WeightLengthScorer, WeightScorer
from whoosh.searching import Searcher

from search_index.postings import LEAVES, in_sequence, leaf, load_block, stepped, wanted_blocks
from search_index.segment_writer import LENGTH_OF_BYTE

Scores = dict[int, float]  # a segment's document number -> score, where the matcher matches


class Unranked(Exception):
    """The matcher tree holds a part this module does not score."""


def union_trees(query: wq.Query) -> wq.Query:
    """The query with each OR matched by a tree of Whoosh's union matchers in every segment.
    (In a segment of up to 5,000 documents, Whoosh otherwise adds an OR's scores up in an
    array, whose block quality misleads its top-N into dropping better hits.)"""
    query = query.apply(union_trees)
    if type(query) is wq.Or:
        return DefaultOr(query.subqueries, boost=query.boost)
    return query


def top_documents(
    searcher: Searcher, query: wq.Query, docs: Set[int], limit: int
) -> list[int] | None:
    """The `limit` best of `docs` (global document numbers, each found by `query`) by the
    score Whoosh gives them for `query`, best first, equal scores by document number; None
    when Whoosh must rank them itself."""
    context = searcher.context()  # what Searcher.search gives its collector
    best: list[tuple[float, int]] = []  # (score, -global document number): ties to the lower
    in_order = sorted(docs)
    try:
        for subsearcher, offset in searcher.subsearchers or [(searcher, 0)]:
            end = offset + subsearcher.doc_count_all()
            segment = in_order[bisect_left(in_order, offset) : bisect_left(in_order, end)]
            if not segment:
                continue
            local = set(map((-offset).__add__, segment))
            matcher = query.matcher(subsearcher, context)
            _check(matcher)
            scores = _scores(matcher, local, subsearcher.reader())
            best = heapq.nlargest(limit, chain(best, _contenders(scores, offset, limit)))
    except Unranked:
        return None
    return [-negated for _score, negated in best]


def _contenders(scores: Scores, offset: int, limit: int) -> Iterator[tuple[float, int]]:
    """(score, -global document number) of the documents that may be among the `limit`
    best of a segment: those scoring at least its `limit`-th best score (found among the
    scores alone, compared in C, rather than among thousands of pairs)."""
    if len(scores) > limit:
        lowest = heapq.nlargest(limit, scores.values())[-1]
        scores = dict(compress(scores.items(), map(lowest.__le__, scores.values())))
    negated = map((-offset).__sub__, scores.keys())  # -(offset + docnum)
    return zip(scores.values(), negated, strict=True)


def _scores(matcher: Matcher, docs: Set[int], reader: Any) -> Scores:
    """Each of `docs` that `matcher` matches, with the score Whoosh's matcher gives it."""
    return _SCORE_OF[type(matcher)](matcher, docs, reader)


def _wrapped(matcher: Any, docs: Set[int], reader: Any) -> Scores:
    scores, boost = _scores(matcher.child, _kept(matcher, docs), reader), matcher.boost
    if boost == 1:  # x * 1.0 is x, to the bit
        return scores
    return {docnum: score * boost for docnum, score in scores.items()}


def _either(matcher: Any, docs: Set[int], reader: Any) -> Scores:
    """UnionMatcher: a + b where both match, else the one that matches."""
    first, second = _scores(matcher.a, docs, reader), _scores(matcher.b, docs, reader)
    scores = {d: score + second[d] if d in second else score for d, score in first.items()}
    scores.update((d, score) for d, score in second.items() if d not in first)
    return scores


def _both(matcher: Any, docs: Set[int], reader: Any) -> Scores:
    first, second = _scores(matcher.a, docs, reader), _scores(matcher.b, docs, reader)
    return {d: score + second[d] for d, score in first.items() if d in second}


def _first_maybe_second(matcher: Any, docs: Set[int], reader: Any) -> Scores:
    first, second = _scores(matcher.a, docs, reader), _scores(matcher.b, docs, reader)
    scores = first.copy()
    for d in second.keys() & first.keys():  # (the second is most often the fewer)
        scores[d] = first[d] + second[d]
    return scores


def _first_not_second(matcher: Any, docs: Set[int], reader: Any) -> Scores:
    first = _scores(matcher.a, docs, reader)
    excluded = _scores(matcher.b, set(first), reader)
    return {d: score for d, score in first.items() if d not in excluded}


def _inverse(matcher: Any, docs: Set[int], reader: Any) -> Scores:
    """NOT: each of `docs` the child does not match and not deleted, at a fixed score."""
    excluded = _scores(matcher.child, docs, reader)
    missing, weight = matcher.missing, matcher._weight
    return {d: weight for d in docs if d not in excluded and not missing(d)}


def _phrase(matcher: Any, docs: Set[int], reader: Any) -> Scores:
    """Whoosh scores a phrase as the AND of its words, where they follow each other."""
    scores, boost = _scores(matcher.child, docs, reader), matcher.boost
    return {d: scores[d] * boost for d in in_sequence(matcher.ms, set(scores))}


def _is_phrase(matcher: Any) -> bool:
    """A phrase's matcher: its words one right after the other, each a plain word."""
    words_only = all(type(leaf(part)) in LEAVES for part in matcher.ms)
    return bool(matcher.slop == 1 and matcher.ordered and matcher.mindist == 1 and words_only)


def _check(matcher: Any) -> None:
    """Raise Unranked, before any work, when the tree holds a matcher not scored here."""
    kind = type(matcher)
    if kind not in _SCORE_OF:
        raise Unranked(kind.__name__)
    if kind is ArrayUnionMatcher and not matcher._scored:
        raise Unranked("unscored ArrayUnionMatcher")
    if kind is SpanNear2.SpanNear2Matcher and not _is_phrase(matcher):
        raise Unranked("SpanNear2Matcher other than a phrase")
    for child in _CHILDREN.get(kind, lambda _m: [])(matcher):
        _check(child)


def _kept(matcher: Any, docs: Set[int]) -> Set[int]:
    if type(matcher) is not FilterMatcher:
        return docs
    ids = matcher._ids
    if isinstance(docs, set | frozenset) and isinstance(ids, set | frozenset):
        return docs - ids if matcher._exclude else docs & ids
    if matcher._exclude:  # a segment's deleted documents
        return {docnum for docnum in docs if docnum not in matcher._ids}
    return {docnum for docnum in docs if docnum in matcher._ids}


def _array_union(matcher: Any, docs: Set[int], reader: Any) -> Scores:
    """ArrayUnionMatcher (Whoosh's OR of many parts in a small segment): from 0, each part's
    score times the boost added in turn; a total of 0 is no match."""
    boost = matcher._boost
    totals: dict[int, float] = {}
    for part in matcher._submatchers:
        for docnum, score in _scores(part, docs, reader).items():
            totals[docnum] = totals.get(docnum, 0.0) + score * boost
    return {docnum: total for docnum, total in totals.items() if total > 0}


def _leaf_scores(matcher: Any, docs: Set[int], reader: Any) -> Scores:
    """One word's score in each of `docs` that holds it: the word's postings read a block at
    a time, and Whoosh's scorer applied to the weight and field length of each (once for
    each different pair: most documents share theirs), a whole block in C where it can."""
    if type(matcher) is not W3LeafMatcher:  # a word's few postings kept in its term info
        return {docnum: matcher.score() for docnum in stepped(matcher, docs)}
    scorer = matcher.scorer
    if isinstance(scorer, WeightLengthScorer):
        weigh = scorer._score
    elif type(scorer) is WeightScorer:
        weigh = lambda weight, _length: weight  # noqa: E731 - a field without lengths
    else:
        raise Unranked(type(scorer).__name__)
    lengths = _length_bytes(reader, matcher._term)
    if lengths is None:
        return {docnum: matcher.score() for docnum in stepped(matcher, docs)}
    score_of = _PairScores(weigh)
    scores: Scores = {}
    for ids in wanted_blocks(matcher, docs):
        load_block(matcher)
        matcher._read_weights()
        weights: Iterable[float] = matcher._weights
        kept = list(map(docs.__contains__, ids))
        if not all(kept):  # only the wanted postings of the block
            ids, weights = tuple(compress(ids, kept)), compress(weights, kept)
        pairs = zip(weights, map(lengths.__getitem__, ids), strict=True)
        scores.update(zip(ids, map(score_of.__getitem__, pairs), strict=True))
    return scores


class _PairScores(dict[tuple[float, int], float]):
    """The scorer's score of each (weight, length byte) pair, computed once."""

    def __init__(self, weigh: Callable[[float, int | None], float]) -> None:
        super().__init__()
        self.weigh = weigh

    def __missing__(self, pair: tuple[float, int]) -> float:
        score = self[pair] = self.weigh(pair[0], LENGTH_OF_BYTE[pair[1]])
        return score


def _length_bytes(reader: Any, term: Any) -> Any:
    """The segment's per-document length bytes of the word's field (what the scorer's
    `dfl()` reads one call at a time), or None where they cannot be read so."""
    per_document = getattr(reader, "_perdoc", None)
    if per_document is None or not isinstance(term, tuple):
        return None
    return per_document._cached_reader(f"_{term[0]}_len", LENGTHS_COLUMN)


_SCORE_OF: dict[type, Callable[[Any, Set[int], Any], Scores]] = {
    NullMatcherClass: lambda _matcher, _docs, _reader: {},  # the word is not in this segment
    W3LeafMatcher: _leaf_scores,
    ListMatcher: _leaf_scores,
    WrappingMatcher: _wrapped,
    FilterMatcher: _wrapped,
    UnionMatcher: _either,
    IntersectionMatcher: _both,
    AndMaybeMatcher: _first_maybe_second,
    AndNotMatcher: _first_not_second,
    InverseMatcher: _inverse,
    ArrayUnionMatcher: _array_union,
    SpanNear2.SpanNear2Matcher: _phrase,
}
_CHILDREN: dict[type, Callable[[Any], list[Any]]] = {
    kind: lambda m: [m.a, m.b]
    for kind in (UnionMatcher, IntersectionMatcher, AndMaybeMatcher, AndNotMatcher)
}
_CHILDREN |= {kind: lambda m: [m.child] for kind in (WrappingMatcher, FilterMatcher)}
_CHILDREN |= {InverseMatcher: lambda m: [m.child], SpanNear2.SpanNear2Matcher: lambda m: [m.child]}
_CHILDREN[ArrayUnionMatcher] = lambda m: list(m._submatchers)
