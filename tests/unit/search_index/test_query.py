"""The query language: what each operator parses to, the Whoosh query it becomes, and that no
input, however broken, raises."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import query as wq

from search_index.query import DateFilter, Period, Term, parse, parse_period, to_whoosh


def _terms(text: str) -> list[list[Term]]:
    return [list(group) for group in parse(text).groups]


def _single(text: str) -> Term:
    ((term,),) = parse(text).groups
    return term


def test_plain_words_are_each_required_and_normalised() -> None:
    assert _terms("Đăng  KÝ email") == [
        [Term("word", ("đăng",))],
        [Term("word", ("ký",))],
        [Term("word", ("email",))],
    ]


def test_nfd_queries_become_nfc_words() -> None:
    nfd = unicodedata.normalize("NFD", "Bán nhà")
    assert [t.words for (t,) in parse(nfd).groups] == [("bán",), ("nhà",)]


def test_quotes_make_a_phrase_and_curly_quotes_count() -> None:
    assert _single('"dự thảo"') == Term("phrase", ("dự", "thảo"))
    assert _single("“dự thảo”") == Term("phrase", ("dự", "thảo"))
    assert _single('"email"') == Term("word", ("email",))


def test_a_word_joined_by_punctuation_is_a_phrase() -> None:
    assert _single("e-mail") == Term("phrase", ("e", "mail"))


def test_or_joins_its_neighbours_and_binds_tighter_than_and() -> None:
    groups = _terms("họp OR hội nghị")
    assert [[t.words for t in g] for g in groups] == [[("họp",), ("hội",)], [("nghị",)]]


def test_a_dangling_or_is_ignored_and_lowercase_or_is_a_word() -> None:
    assert _terms("OR họp OR") == [[Term("word", ("họp",))]]
    assert len(_terms("họp or hội")) == 3


def test_minus_excludes_words_phrases_and_operators() -> None:
    assert _single("-nháp") == Term("word", ("nháp",), negated=True)
    assert _single('-"bản nháp"') == Term("phrase", ("bản", "nháp"), negated=True)
    assert _single("-list:thcs") == Term("list", value="thcs", negated=True)


def test_from_takes_a_name_or_an_address() -> None:
    assert _single("from:Nguyễn") == Term("from", ("nguyễn",))
    assert _single('from:"Nguyen Van A"') == Term("from", ("nguyen", "van", "a"))
    assert _single("from:an@example.org") == Term("from", ("an", "example", "org"))


def test_list_names_are_lowercased_and_checked() -> None:
    assert _single("list:THPT") == Term("list", value="thpt")
    assert _single("list:<b>") == Term("phrase", ("list", "b"))


def test_subject_limits_words_to_the_subject() -> None:
    assert _single("subject:họp") == Term("subject", ("họp",))
    assert _single('subject:"lịch họp"') == Term("subject", ("lịch", "họp"))


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2009-04-01", datetime(2009, 4, 1), datetime(2009, 4, 2)),
        ("2009/4/1", datetime(2009, 4, 1), datetime(2009, 4, 2)),
        ("01/04/2009", datetime(2009, 4, 1), datetime(2009, 4, 2)),
        ("1.4.2009", datetime(2009, 4, 1), datetime(2009, 4, 2)),
        ("2009-04", datetime(2009, 4, 1), datetime(2009, 5, 1)),
        ("12/2009", datetime(2009, 12, 1), datetime(2010, 1, 1)),
        ("2009", datetime(2009, 1, 1), datetime(2010, 1, 1)),
        ("2008-02-29", datetime(2008, 2, 29), datetime(2008, 3, 1)),
    ],
)
def test_dates_are_days_months_or_years(value: str, start: datetime, end: datetime) -> None:
    assert parse_period(value) == Period(start, end)


def test_dates_are_the_sites_local_days() -> None:
    vietnam = ZoneInfo("Asia/Ho_Chi_Minh")
    day = Period(datetime(2009, 3, 31, 17), datetime(2009, 4, 1, 17))
    assert parse_period("2009-04-01", vietnam) == day
    ((term,),) = parse("on:01/04/2009", vietnam).groups
    assert term.period == day
    assert parse_period("0001-01-01", vietnam) is None  # before the calendar in UTC


@pytest.mark.parametrize("value", ["2009-02-30", "2009-13-01", "0000", "9999-12-31x", "yesterday"])
def test_impossible_dates_are_not_dates(value: str) -> None:
    assert parse_period(value) is None


def test_date_operators() -> None:
    day = Period(datetime(2009, 4, 1), datetime(2009, 4, 2))
    assert _single("after:2009-04-01") == Term("after", period=day)
    assert _single("before:2009-04-01") == Term("before", period=day)
    assert _single("on:2009-04-01") == Term("on", period=day)


def test_a_bad_date_falls_back_to_words() -> None:
    assert _single("after:2009-13-45") == Term("phrase", ("after", "2009", "13", "45"))


def test_has_attachment_in_english_or_vietnamese() -> None:
    for text in ("has:attachment", "has:attachments", "has:tệp", "has:tep"):
        assert _single(text) == Term("attachment")
    assert _single("has:nothing") == Term("phrase", ("has", "nothing"))


def test_in_thread_takes_a_thread_number() -> None:
    assert _single("in:thread:42") == Term("thread", value="42")
    assert _single("thread:042") == Term("thread", value="42")
    assert _single("in:thread") == Term("phrase", ("in", "thread"))
    assert _single("thread:abc") == Term("phrase", ("thread", "abc"))


def test_unknown_operators_and_times_are_words() -> None:
    assert _single("foo:bar") == Term("phrase", ("foo", "bar"))
    assert _single("10:30") == Term("phrase", ("10", "30"))


@pytest.mark.parametrize("text", ["", "   ", "*", "-", '"', '""', "OR", "OR OR", "()[]{}", "!!!"])
def test_queries_without_words_are_empty(text: str) -> None:
    assert parse(text).is_empty


def test_an_unbalanced_quote_falls_back_to_plain_words() -> None:
    assert _terms('"dự thảo') == [[Term("word", ("dự",))], [Term("word", ("thảo",))]]
    assert _terms('"a b" "c') == [[Term("phrase", ("a", "b"))], [Term("word", ("c",))]]


def test_a_pasted_page_is_cut_to_a_bounded_query() -> None:
    parsed = parse("đăng ký " * 1200)
    assert len(parsed.groups) == 24
    assert len(_single('"' + "a " * 100 + '"').words) == 12


def test_highlight_words_are_folded_and_skip_exclusions_and_filters() -> None:
    parsed = parse('Đăng "dự thảo" -nháp from:lan list:thpt subject:Họp')
    assert parsed.highlight_words == {"dang", "du", "thao", "hop"}


def test_only_words_rank() -> None:
    assert parse("email").ranks
    assert parse("from:lan").ranks
    assert not parse("list:thpt has:attachment after:2009").ranks
    assert not parse("-email").ranks


@given(st.text(max_size=300))
def test_any_text_parses_and_compiles(text: str) -> None:
    parsed = parse(text)
    if not parsed.is_empty:
        assert isinstance(to_whoosh(parsed).match, wq.Query)


# The Whoosh queries


def test_an_unaccented_word_matches_the_folded_text_and_scores_in_the_subject() -> None:
    compiled = to_whoosh(parse("email"))
    assert compiled.match == wq.Term("text", "email")
    assert compiled.scored == wq.AndMaybe(
        wq.Term("text", "email"), wq.Or([wq.Term("subject", "email")])
    )


def test_a_word_with_diacritics_also_scores_its_exact_form() -> None:
    compiled = to_whoosh(parse("bán"))
    assert compiled.match == wq.Term("text", "ban")
    assert "text_exact:bán" in str(compiled.scored)


def test_adjacent_plain_words_score_as_a_pair() -> None:
    compiled = to_whoosh(parse("giáo dục"))
    assert compiled.match == wq.And([wq.Term("text", "giao"), wq.Term("text", "duc")])
    assert "pairs:giao duc" in str(compiled.scored)
    assert "pairs:" not in str(to_whoosh(parse("giáo -dục")).scored)
    assert "pairs:" not in str(to_whoosh(parse("giáo OR dục")).scored)
    assert "pairs:" not in str(to_whoosh(parse("giáo from:dục")).scored)


def test_a_quoted_phrase_must_match_in_order() -> None:
    compiled = to_whoosh(parse('"dự thảo"'))
    assert compiled.match == wq.Phrase("text", ["du", "thao"])
    assert 'text_exact:"dự thảo"' in str(compiled.scored)


def test_exclusions_alone_start_from_every_message() -> None:
    compiled = to_whoosh(parse("-nháp"))
    assert compiled.match == wq.And([wq.Term("kind", "message"), wq.Not(wq.Term("text", "nhap"))])


def test_attachment_operators() -> None:
    assert to_whoosh(parse("in:attachments")).match == wq.Term("kind", "attachment")
    assert to_whoosh(parse("in:tệp")).match == wq.Term("kind", "attachment")
    outside = to_whoosh(parse("-in:attachments")).match
    assert wq.Not(wq.Term("kind", "attachment")) in outside.subqueries
    assert to_whoosh(parse('filename:"CV 1234"')).match == wq.Phrase("filename", ["cv", "1234"])


def test_operators_become_field_queries() -> None:
    assert to_whoosh(parse("from:nguyễn")).match == wq.Term("sender", "nguyen")
    assert to_whoosh(parse("from:a@b.vn")).match == wq.Phrase("sender", ["a", "b", "vn"])
    assert to_whoosh(parse("subject:họp")).match == wq.Term("subject", "hop")
    assert to_whoosh(parse("list:thpt")).match == wq.Term("list", "thpt")
    assert to_whoosh(parse("in:thread:7")).match == wq.Term("thread", "7")
    assert to_whoosh(parse("has:attachment")).match == wq.Term("has_attachment", True)


def test_dates_on_their_own_become_date_filters() -> None:
    compiled = to_whoosh(parse("email after:2009-04-01 -on:2009-05"))
    assert compiled.match == wq.Term("text", "email")
    assert compiled.dates == (
        DateFilter(datetime(2009, 4, 1), None),
        DateFilter(datetime(2009, 5, 1), datetime(2009, 6, 1), negated=True),
    )
    only = to_whoosh(parse("before:2009"))
    assert only.match == wq.Term("kind", "message")
    assert only.dates == (DateFilter(None, datetime(2009, 1, 1)),)


def test_a_date_inside_an_or_is_a_date_range() -> None:
    compiled = to_whoosh(parse("on:2009 OR list:thpt"))
    assert compiled.dates == ()
    assert isinstance(compiled.match, wq.Or)
    assert "date:" in str(compiled.match)
