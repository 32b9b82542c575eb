"""Ranking and matching on a small index of hand-written Vietnamese messages (of every
backend): folded and exact forms, `đ`, NFD text and queries, adjacent syllables, every
operator, quoted text left out, hostile queries."""

from __future__ import annotations

import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from search_index.backends import WhooshBackend
from search_index.documents import MessageRow, document
from search_index.query import parse
from search_index.searcher import SearchRequest, search
from search_index.snippets import highlight, snippet
from tests.unit.search_index.conftest import MakeIndex, SearchIndex

DAY = datetime(2009, 4, 14, 8, 0, tzinfo=UTC)
ROW = MessageRow(
    pk=0,
    list_name="thpt",
    list_id=1,
    thread_id=1,
    message_hash="",
    subject="",
    sender_name="Trần Văn Bình",
    sender_email="binh@truong.edu.vn",
    date=DAY,
    received_at=DAY,
    body_text="",
)


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


MESSAGES = [
    dict(subject="Cần bán máy chiếu", body="Trường cần bán máy chiếu cũ."),
    dict(subject="Mua bàn ghế", body="Mua bàn ghế cho phòng học mới."),
    dict(subject="Ban giám hiệu", body="Thông báo của ban giám hiệu."),
    dict(
        subject="Thông báo",
        body="Nhà trường muốn bán một máy tính cũ, liên hệ phòng thiết bị để biết thêm về giá.",
    ),
    dict(
        subject="Ban đại diện",
        body="Ban giám hiệu họp với ban đại diện; ban chấp hành công đoàn và ban thanh tra dự.",
    ),
    dict(subject="Đăng ký email", body="Các trường đăng ký email trước ngày 15."),
    dict(subject=_nfd("Trường Tiểu học Hòa Bình"), body=_nfd("Lịch thi của trường tiểu học.")),
    dict(subject="Công văn", body="Công văn của Sở giáo dục và đào tạo tỉnh."),
    dict(
        subject="Giáo viên thể dục",
        body="Giáo viên dạy giỏi. Phụ huynh quan tâm giáo viên, học sinh cần giáo dưỡng, "
        "thể dục và giáo án; dục vọng không, giáo viên và dục tốt.",
    ),
    dict(
        subject="Dự thảo quy chế",
        body="Góp ý dự thảo quy chế thi.",
        list_name="thcs",
        list_id=2,
        sender_name="Nguyễn Thị Lan",
        sender_email="lan@so.edu.vn",
        attachment_names=("du-thao.docx",),
        date=datetime(2009, 5, 4, 9, 0, tzinfo=UTC),
        thread_id=7,
    ),
    dict(
        subject="Re: Dự thảo quy chế",
        body="Đồng ý.\n\n> Góp ý xylophone quy chế thi.\n\n-- \nPhòng đào tạo quizzical",
        list_name="thcs",
        list_id=2,
        date=datetime(2010, 1, 2, 9, 0, tzinfo=UTC),
        thread_id=7,
    ),
]


@pytest.fixture(scope="module")
def index(make_index: MakeIndex) -> SearchIndex:
    index = make_index()
    rows = []
    for pk, fields in enumerate(MESSAGES, start=1):
        body = fields.pop("body")
        rows.append(replace(ROW, pk=pk, message_hash=f"h{pk}", body_text=body, **fields))  # type: ignore[arg-type]
        fields["body"] = body
    index.put(document(row) for row in rows)
    return index


def _subjects(index: SearchIndex, text: str, **options: object) -> list[str]:
    request = SearchRequest(parse(text), facets=False, **options)  # type: ignore[arg-type]
    return [unicodedata.normalize("NFC", hit.subject) for hit in index.search(request).hits]


def test_an_accented_query_ranks_the_exact_word_first(index: SearchIndex) -> None:
    found = _subjects(index, "bán")
    assert set(found[:2]) == {"Cần bán máy chiếu", "Thông báo"}  # even in a long body, once
    assert set(found[2:]) >= {"Mua bàn ghế", "Ban giám hiệu", "Ban đại diện"}
    assert _subjects(index, "bàn")[0] == "Mua bàn ghế"


def test_an_unaccented_query_matches_every_accented_form(index: SearchIndex) -> None:
    assert set(_subjects(index, "ban")) >= {"Cần bán máy chiếu", "Mua bàn ghế", "Ban giám hiệu"}
    assert _subjects(index, "ban")[0] == "Ban đại diện"  # unaccented: no form is preferred


def test_d_with_stroke_folds_to_d(index: SearchIndex) -> None:
    assert _subjects(index, "dang ky email") == ["Đăng ký email"]
    assert _subjects(index, "ĐĂNG KÝ") == ["Đăng ký email"]
    assert _subjects(index, "đang ky") == ["Đăng ký email"]  # wrong marks still find it


def test_nfd_text_is_found_by_nfc_nfd_and_unaccented_queries(index: SearchIndex) -> None:
    for text in ("trường tiểu học", _nfd("trường tiểu học"), "truong tieu hoc"):
        assert _subjects(index, text) == ["Trường Tiểu học Hòa Bình"], text
    assert _subjects(index, '"hoa binh"') == ["Trường Tiểu học Hòa Bình"]


def test_an_nfd_query_with_diacritics_still_ranks_exact_forms_first(index: SearchIndex) -> None:
    assert _subjects(index, _nfd("bán"))[0] == "Cần bán máy chiếu"


def test_adjacent_syllables_rank_above_scattered_ones(index: SearchIndex) -> None:
    for text in ("giáo dục", "giao duc"):
        found = _subjects(index, text)
        assert found == ["Công văn", "Giáo viên thể dục"], text


def test_a_quoted_phrase_needs_the_words_in_order(index: SearchIndex) -> None:
    assert _subjects(index, '"giáo dục"') == ["Công văn"]
    assert _subjects(index, '"dục giáo"') == []


def test_or_and_exclusion(index: SearchIndex) -> None:
    assert set(_subjects(index, "ghế OR email")) == {"Mua bàn ghế", "Đăng ký email"}
    assert _subjects(index, "bàn OR email")[0] == "Mua bàn ghế"
    assert "Cần bán máy chiếu" not in _subjects(index, "ban -máy")
    assert "Mua bàn ghế" in _subjects(index, "ban -máy")


def test_from_matches_folded_names_and_addresses(index: SearchIndex) -> None:
    assert _subjects(index, "from:lan") == ["Dự thảo quy chế"]
    assert _subjects(index, 'from:"nguyen thi lan"') == ["Dự thảo quy chế"]
    assert _subjects(index, "from:lan@so.edu.vn") == ["Dự thảo quy chế"]
    assert len(_subjects(index, "from:binh")) == len(MESSAGES) - 1


def test_list_subject_thread_and_attachment_operators(index: SearchIndex) -> None:
    assert len(_subjects(index, "list:thcs")) == 2
    assert _subjects(index, "subject:bình") == ["Trường Tiểu học Hòa Bình"]
    assert _subjects(index, "subject:chiếu") == ["Cần bán máy chiếu"]
    assert _subjects(index, "subject:trường") == ["Trường Tiểu học Hòa Bình"]
    assert len(_subjects(index, "in:thread:7")) == 2
    assert _subjects(index, "has:attachment") == ["Dự thảo quy chế"]
    assert _subjects(index, "du thao docx") == ["Dự thảo quy chế"]  # attachment names


def test_date_operators(index: SearchIndex) -> None:
    assert len(_subjects(index, "quy chế after:2009-05-01")) == 2
    assert _subjects(index, "quy chế after:2010") == ["Re: Dự thảo quy chế"]
    assert _subjects(index, "quy chế before:05/05/2009") == ["Dự thảo quy chế"]
    assert _subjects(index, "quy chế on:2009-05") == ["Dự thảo quy chế"]
    assert _subjects(index, "quy chế -on:2009") == ["Re: Dự thảo quy chế"]
    assert len(_subjects(index, "on:2009-04-14")) == len(MESSAGES) - 2


def test_the_combined_example_of_the_issue(index: SearchIndex) -> None:
    text = '"dự thảo" from:nguyen list:thcs after:2009-04-01 has:attachment'
    assert _subjects(index, text) == ["Dự thảo quy chế"]


def test_quoted_text_and_signatures_are_not_indexed(index: SearchIndex) -> None:
    assert _subjects(index, "xylophone") == []
    assert _subjects(index, "quizzical") == []


def test_hits_carry_the_own_words_their_snippets_are_cut_from(index: SearchIndex) -> None:
    [hit] = index.search(SearchRequest(parse("dong y"))).hits
    if isinstance(index.backend, WhooshBackend):  # stored when indexed: not split per page
        assert hit.own_text == "Đồng ý."
    else:  # PostgreSQL keeps no text: the page splits the body again
        assert hit.own_text is None


def test_sort_by_date_and_pages(index: SearchIndex) -> None:
    newest = _subjects(index, "quy chế", by_date=True)
    assert newest == ["Re: Dự thảo quy chế", "Dự thảo quy chế"]
    by_binh = len(MESSAGES) - 1
    pages = [_subjects(index, "from:binh", per_page=3, page=n) for n in range(1, 6)]
    assert [len(p) for p in pages] == [min(3, max(0, by_binh - 3 * n)) for n in range(5)]
    assert len({s for p in pages for s in p}) == by_binh


def test_facets_count_lists_and_years(index: SearchIndex) -> None:
    results = index.search(SearchRequest(parse("quy chế")))
    assert [(f.value, f.count) for f in results.lists] == [("thcs", 2)]
    assert [(f.value, f.count) for f in results.years] == [("2010", 1), ("2009", 1)]


def test_only_readable_lists_are_searched(index: SearchIndex) -> None:
    assert _subjects(index, "quy chế", list_ids=frozenset({1})) == []
    assert len(_subjects(index, "quy chế", list_ids=frozenset({2}))) == 2
    assert _subjects(index, "-zzz", list_ids=frozenset()) == []


def test_a_missing_index_finds_nothing(tmp_path: Path) -> None:
    assert search(tmp_path / "none", SearchRequest(parse("email"))).total == 0


@pytest.mark.parametrize(
    "text", ['"dự thảo', "*", "a" * 10_000, "đăng ký " * 1200, "-", "on:2009 OR -list:x", ""]
)
def test_hostile_queries_return_results_or_none(index: SearchIndex, text: str) -> None:
    results = index.search(SearchRequest(parse(text)))
    assert results.total >= 0


def test_snippets_mark_folded_matches_around_the_best_place() -> None:
    text = "Mở đầu. " * 60 + "Các trường Đăng ký email trước ngày 15. " + "Kết thúc. " * 60
    parts = snippet(text, frozenset({"dang", "ky", "email"}))
    assert ("Đăng", True) in parts
    assert ("email", True) in parts
    assert parts[0] == ("… ", False)
    assert parts[-1] == (" …", False)
    assert sum(len(t) for t, _ in parts) < 300


def test_snippets_keep_text_as_text() -> None:
    parts = snippet("<b>bán</b> & <script>x</script>", frozenset({"ban"}))
    assert "".join(t for t, _ in parts) == "<b>bán</b> & <script>x</script>"
    assert [t for t, hit in parts if hit] == ["bán"]


def test_highlight_marks_nfd_subjects() -> None:
    assert highlight(_nfd("Đăng ký"), frozenset({"dang"})) == (("Đăng", True), (" ký", False))


def test_a_message_indexed_again_is_found_once(make_index: MakeIndex) -> None:
    fresh = make_index()
    row = replace(ROW, pk=1, message_hash="h1", subject="Đăng ký", body_text="Lần đầu.")
    for _ in range(3):
        fresh.put([document(row)])
        results = fresh.search(SearchRequest(parse("dang ky")))  # the same searcher, renewed
        assert [hit.pk for hit in results.hits] == [1]
        assert results.total == 1


def test_searches_from_many_threads_at_once(index: SearchIndex) -> None:
    queries = ["bán", "giáo dục", "from:lan", "quy chế -on:2009", "list:thcs", "dang ky"] * 10
    expected = {text: _subjects(index, text) for text in set(queries)}
    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(lambda text: (text, _subjects(index, text)), queries))
    assert all(subjects == expected[text] for text, subjects in found)
