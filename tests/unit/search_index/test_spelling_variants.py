"""Vietnamese as it is really typed, on a small index: old and new tone placement (`hòa` and
`hoà`) are one exact word, i/y spellings (`kĩ`/`kỹ`, `qui`/`quy`) find each other while the
typed form ranks first, and `from:`/`subject:` rank exact forms first like plain words."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from search_index.analysis import fold_word, has_marks, words
from search_index.documents import MessageRow, document
from search_index.query import parse
from search_index.searcher import SearchRequest
from tests.unit.search_index.conftest import MakeIndex, SearchIndex

DAY = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ROW = MessageRow(
    pk=0,
    list_name="phong",
    list_id=1,
    thread_id=1,
    message_hash="",
    subject="",
    sender_name="Phòng Giáo dục",
    sender_email="pgd@example.edu.vn",
    date=DAY,
    received_at=DAY,
    body_text="",
)

# (subject, body, sender name): each pair writes one word both ways; the others are the
# words an unaccented or wrongly merged query would also find.
MESSAGES = [
    ("Hoa trong sân trường", "Hoa hồng, hoa cúc, hoa lan và hoa huệ nở đẹp.", ""),
    ("Trường Tiểu học Hoà Bình", "Lịch họp phụ huynh đầu năm.", ""),
    ("Trường Tiểu học Hòa Bình", "Danh sách lớp một.", ""),
    ("Ủy ban nhân dân xã", "Công văn gửi các trường.", ""),
    ("Uỷ ban nhân dân huyện", "Kế hoạch phối hợp.", ""),
    ("Uy tín nhà trường", "Giữ uy tín với phụ huynh.", ""),
    ("Sức khỏe học đường", "Khám sức khỏe định kì.", ""),
    ("Sức khoẻ giáo viên", "Chăm lo sức khoẻ.", ""),
    ("Khoe thành tích", "Không nên khoe thành tích.", ""),
    ("Thủy lợi nội đồng", "Kênh mương thủy lợi.", ""),
    ("Thuỷ sản ven biển", "Nuôi trồng thuỷ sản.", ""),
    ("Cô Thùy nghỉ phép", "Cô Thùy dạy thay.", ""),
    ("Tòa án nhân dân", "Giấy triệu tập của tòa án.", ""),
    ("Toà soạn báo", "Gửi bài cho toà soạn.", ""),
    ("Toa tàu hỏa", "Toa tàu số 5.", ""),
    ("Rèn kĩ năng sống", "Giáo dục kĩ năng cho học sinh.", ""),
    ("Tập huấn kỹ năng mềm", "Bồi dưỡng kỹ năng giao tiếp.", ""),
    ("Kí túc xá", "Đăng kí chỗ ở.", ""),
    ("Môn Địa lí lớp 10", "Sách Địa lí mới.", ""),
    ("Môn Địa lý lớp 11", "Đề cương Địa lý.", ""),
    ("Qui chế thi", "Qui chế thi tốt nghiệp.", ""),
    ("Quy chế tuyển sinh", "Quy chế tuyển sinh lớp 10.", ""),
    ("Quí I", "Báo cáo quí I.", ""),
    ("Quý II", "Báo cáo quý II.", ""),
    ("Mĩ thuật", "Giáo viên mĩ thuật.", ""),
    ("Mỹ thuật", "Phòng học mỹ thuật.", ""),
    ("Tỉ lệ tốt nghiệp", "Tỉ lệ đạt 98%.", ""),
    ("Tỷ lệ chuyên cần", "Tỷ lệ đi học đều.", ""),
    ("Tai nạn thương tích", "Phòng tránh tai nạn.", ""),
    ("Bàn tay sạch", "Rửa tay bằng xà phòng.", ""),
    ("Tuy vậy", "Tuy nhiên vẫn còn khó khăn.", ""),
    ("Túi sách", "Cái túi mới.", ""),
    ("Lịch công tác", "Họp giao ban tuần.", "Nguyễn Văn Hùng"),
    ("Lịch trực", "Phân công trực.", "Trần Văn Hưng"),
    ("Thời khóa biểu", "Thời khóa biểu học kì II.", "Lê Hùng"),
    ("Hoà giải ở cơ sở", "Tổ hoà giải.", ""),
    ("Hoa điểm mười", "hoa hoa hoa", ""),
]


@pytest.fixture(scope="module")
def index(make_index: MakeIndex) -> SearchIndex:
    index = make_index()
    rows = [
        replace(
            ROW,
            pk=pk,
            message_hash=f"h{pk}",
            subject=subject,
            body_text=body,
            sender_name=sender or ROW.sender_name,
        )
        for pk, (subject, body, sender) in enumerate(MESSAGES, start=1)
    ]
    index.put(document(row) for row in rows)
    return index


def _subjects(index: SearchIndex, text: str) -> list[str]:
    request = SearchRequest(parse(text), facets=False, per_page=50)
    return [unicodedata.normalize("NFC", hit.subject) for hit in index.search(request).hits]


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


PLACEMENTS = [
    # (queries in either placement and case, the two messages that must come first, others)
    (
        ("hòa", "hoà", "HÒA", "Hoà", _nfd("hoà"), _nfd("hòa")),
        {"Trường Tiểu học Hoà Bình", "Trường Tiểu học Hòa Bình", "Hoà giải ở cơ sở"},
        {"Hoa trong sân trường", "Hoa điểm mười"},
    ),
    (
        ("ủy", "uỷ", "ỦY", "UỶ"),
        {"Ủy ban nhân dân xã", "Uỷ ban nhân dân huyện"},
        {"Uy tín nhà trường"},
    ),
    (("khỏe", "khoẻ"), {"Sức khỏe học đường", "Sức khoẻ giáo viên"}, {"Khoe thành tích"}),
    (("thủy", "thuỷ"), {"Thủy lợi nội đồng", "Thuỷ sản ven biển"}, {"Cô Thùy nghỉ phép"}),
    (("tòa", "toà", "TÒA"), {"Tòa án nhân dân", "Toà soạn báo"}, {"Toa tàu hỏa"}),
]


@pytest.mark.parametrize(("queries", "first", "after"), PLACEMENTS)
def test_both_tone_placements_rank_as_the_same_exact_word(
    index: SearchIndex, queries: tuple[str, ...], first: set[str], after: set[str]
) -> None:
    for query in queries:
        found = _subjects(index, query)
        assert set(found[: len(first)]) == first, query
        assert after <= set(found[len(first) :]), query


def test_a_phrase_in_either_placement_finds_both(index: SearchIndex) -> None:
    for query in ('"hòa bình"', '"hoà bình"', "hoa binh"):
        assert set(_subjects(index, query)) == {
            "Trường Tiểu học Hoà Bình",
            "Trường Tiểu học Hòa Bình",
        }, query


I_Y = [
    # (typed query, the message written that way, the one written the other way)
    ("kĩ năng", "Rèn kĩ năng sống", "Tập huấn kỹ năng mềm"),
    ("kỹ năng", "Tập huấn kỹ năng mềm", "Rèn kĩ năng sống"),
    ("Địa lí", "Môn Địa lí lớp 10", "Môn Địa lý lớp 11"),
    ("địa lý", "Môn Địa lý lớp 11", "Môn Địa lí lớp 10"),
    ("qui chế", "Qui chế thi", "Quy chế tuyển sinh"),
    ("quy chế", "Quy chế tuyển sinh", "Qui chế thi"),
    ("quí", "Quí I", "Quý II"),
    ("quý", "Quý II", "Quí I"),
    ("mĩ thuật", "Mĩ thuật", "Mỹ thuật"),
    ("mỹ thuật", "Mỹ thuật", "Mĩ thuật"),
    ("tỉ lệ", "Tỉ lệ tốt nghiệp", "Tỷ lệ chuyên cần"),
    ("tỷ lệ", "Tỷ lệ chuyên cần", "Tỉ lệ tốt nghiệp"),
]


@pytest.mark.parametrize(("query", "typed", "other"), I_Y)
def test_i_and_y_spellings_find_each_other_and_the_typed_form_ranks_first(
    index: SearchIndex, query: str, typed: str, other: str
) -> None:
    found = _subjects(index, query)
    assert found[:2] == [typed, other], query


def test_unaccented_i_y_queries_find_both_spellings(index: SearchIndex) -> None:
    assert {"Rèn kĩ năng sống", "Tập huấn kỹ năng mềm"} <= set(_subjects(index, "ky nang"))
    assert {"Rèn kĩ năng sống", "Tập huấn kỹ năng mềm"} <= set(_subjects(index, "ki nang"))
    assert {"Qui chế thi", "Quy chế tuyển sinh"} <= set(_subjects(index, "quy che"))


@pytest.mark.parametrize(("query", "never"), [("tay", "Tai nạn thương tích"), ("tuy", "Túi sách")])
def test_words_spelled_apart_by_i_and_y_stay_apart(
    index: SearchIndex, query: str, never: str
) -> None:
    assert never not in _subjects(index, query)
    assert _subjects(index, query)


def test_from_with_diacritics_ranks_the_exact_name_first(index: SearchIndex) -> None:
    found = _subjects(index, "from:hùng")
    assert set(found[:2]) == {"Lịch công tác", "Thời khóa biểu"}
    assert found[2:] == ["Lịch trực"]
    assert _subjects(index, "from:hưng")[0] == "Lịch trực"
    assert len(_subjects(index, "from:hung")) == 3


def test_subject_with_diacritics_ranks_the_exact_subject_first(index: SearchIndex) -> None:
    found = _subjects(index, "subject:hòa")
    assert set(found[:3]) == {
        "Trường Tiểu học Hoà Bình",
        "Trường Tiểu học Hòa Bình",
        "Hoà giải ở cơ sở",
    }
    assert set(found[3:]) == {"Hoa trong sân trường", "Hoa điểm mười", "Toa tàu hỏa"}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("kĩ", "kỹ"), ("lí", "lý"), ("mĩ", "mỹ"), ("sĩ", "sỹ"), ("tỉ", "tỷ"), ("hi", "hy"),
        ("qui", "quy"), ("quí", "quý"), ("kì", "kỳ"), ("lị", "lỵ"),
    ],
)  # fmt: skip
def test_i_y_pairs_fold_alike_and_stay_apart_exactly(one: str, other: str) -> None:
    assert fold_word(one) == fold_word(other)
    assert words(one) != words(other)
    assert has_marks(one)
    assert has_marks(other)


@pytest.mark.parametrize(
    ("one", "other"), [("tai", "tay"), ("tui", "tuy"), ("mai", "may"), ("ki", "kia"), ("di", "dy")]
)
def test_other_i_y_spellings_are_different_words(one: str, other: str) -> None:
    assert fold_word(one) != fold_word(other)


def test_query_words_take_the_new_tone_placement() -> None:
    assert words("Hòa bình, THỦY lợi, sức khỏe, quý") == [
        "hoà",
        "bình",
        "thuỷ",
        "lợi",
        "sức",
        "khoẻ",
        "quý",
    ]
