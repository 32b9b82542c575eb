"""The confidentiality detector on office mail as it is written: level and place of each mark."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.folding import fold
from archive.parse import parse_message
from forum.posting.confidentiality import Place, find_mark, find_marks
from forum.posting.confidentiality_terms import Level
from tests.unit.confidentiality_cases import CASES, Case


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.note)
def test_mark_level_and_place(case: Case) -> None:
    mark = find_mark(case.subject, case.body, case.names)
    found = None if mark is None else (mark.level, mark.place)
    expected = None if case.level is None else (case.level, case.place)
    assert found == expected, mark
    if mark is not None and case.line is not None:
        assert mark.line == case.line


@pytest.mark.parametrize("case", [c for c in CASES if c.level], ids=lambda case: case.note)
def test_the_highlighted_text_is_the_mark(case: Case) -> None:
    mark = find_mark(case.subject, case.body, case.names)
    assert mark is not None
    spelled = fold(mark.text).replace(" ", "").replace(".", "").replace("_", "").replace("-", "")
    assert spelled.endswith(("mat", "confidential"))


def test_a_mark_in_a_body_line_says_which_line_and_what_it_reads() -> None:
    mark = find_mark("Lịch thi", "Kính gửi các trường,\n\nĐộ mật: Tuyệt mật\nNội dung ...")
    assert mark is not None
    assert (mark.place, mark.line, mark.source) == (Place.BODY_LINE, 3, "Độ mật: Tuyệt mật")
    assert mark.text == "Độ mật: Tuyệt mật"


def test_an_attachment_mark_points_into_the_whole_file_name() -> None:
    mark = find_mark("Đề thi", "", ["De_thi_HSG_TUYET_MAT.docx"])
    assert mark is not None
    assert (mark.source, mark.text, mark.line) == ("De_thi_HSG_TUYET_MAT.docx", "TUYET_MAT", None)


def test_decomposed_accents_are_read_like_composed_ones() -> None:
    decomposed = "TUYE\u0323\u0302T MA\u0323\u0302T - đề thi"
    mark = find_mark(decomposed, "")
    assert mark is not None
    assert mark.level is Level.TUYET_MAT


def test_every_mark_of_a_post_is_listed_in_reading_order() -> None:
    marks = find_marks("MẬT - Báo cáo", "Độ mật: Tối mật", ["TUYET_MAT.docx"])
    assert [(m.place, m.level) for m in marks] == [
        (Place.SUBJECT, Level.MAT),
        (Place.ATTACHMENT_NAME, Level.TUYET_MAT),
        (Place.BODY_LINE, Level.TOI_MAT),
    ]


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "-- \n", "a " * 50_000, "M " * 30_000, "mật" * 10_000, "\x00\udcff"],
    ids=["empty", "blank", "only a signature", "many letters", "spaced letters", "run", "junk"],
)
def test_odd_bodies_are_read_without_error(text: str) -> None:
    find_marks(text[:200], text, [text[:100]])


def test_real_list_mail_from_vietnamese_senders_carries_no_mark(corpus: Path) -> None:
    files = sorted((corpus / "vietnamese").glob("*.eml"))
    assert len(files) > 30
    for path in files:
        parsed = parse_message(path.read_bytes())
        names = [a.filename for a in parsed.attachments]
        assert find_mark(parsed.subject, parsed.text, names) is None, path.name
