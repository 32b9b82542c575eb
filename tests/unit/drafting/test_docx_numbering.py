"""Word's automatic numbering (numbering.xml) read back as the `1.`, `a)`, `Điều 5.` it shows."""

from __future__ import annotations

import io

import docx
import pytest
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from forum.drafting.docx_input import docx_to_text
from forum.drafting.docx_numbering import format_number
from forum.drafting.structure import outline, parse_draft

W = nsdecls("w")


def lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


class Draft:
    """A python-docx document with list definitions added to its numbering part."""

    def __init__(self) -> None:
        self.document: Document = docx.Document()
        self.numbering = self.document.part.numbering_part.element

    def abstract(self, abstract_id: int, *levels: str) -> None:
        element = parse_xml(
            f'<w:abstractNum {W} w:abstractNumId="{abstract_id}">{"".join(levels)}</w:abstractNum>'
        )
        self.numbering.find(qn("w:num")).addprevious(element)  # abstractNums come first

    def num(self, num_id: int, abstract_id: int, overrides: str = "") -> None:
        self.numbering.append(
            parse_xml(
                f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                f"{overrides}</w:num>"
            )
        )

    def add(self, text: str, num_id: int | None = None, ilvl: int | None = None) -> None:
        paragraph = self.document.add_paragraph(text)
        if num_id is None and ilvl is None:
            return
        num_pr = "" if ilvl is None else f'<w:ilvl w:val="{ilvl}"/>'
        num_pr += "" if num_id is None else f'<w:numId w:val="{num_id}"/>'
        paragraph._p.get_or_add_pPr().append(parse_xml(f"<w:numPr {W}>{num_pr}</w:numPr>"))

    def lines(self) -> list[str]:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return docx_to_text(buffer.getvalue()).split("\n")


@pytest.fixture
def draft() -> Draft:
    return Draft()


@pytest.fixture
def clauses(draft: Draft) -> Draft:
    """List 1: clauses `1.` with points `a)` below them."""
    draft.abstract(100, lvl(0, "decimal", "%1."), lvl(1, "lowerLetter", "%2)"))
    draft.num(1000, 100)
    return draft


def test_decimal_clauses_count_one_two_three(clauses: Draft) -> None:
    for text in ("Một;", "Hai;", "Ba."):
        clauses.add(text, 1000)  # no ilvl: level 0
    assert clauses.lines() == ["1. Một;", "2. Hai;", "3. Ba."]


def test_points_restart_after_the_next_clause(clauses: Draft) -> None:
    for text, ilvl in [("Gồm:", 0), ("Đơn;", 1), ("Bản sao.", 1), ("Nộp:", 0), ("Trực tiếp.", 1)]:
        clauses.add(text, 1000, ilvl)
    assert clauses.lines() == ["1. Gồm:", "a) Đơn;", "b) Bản sao.", "2. Nộp:", "a) Trực tiếp."]


def test_lower_letter_is_words_alphabet_not_the_vietnamese_one(clauses: Draft) -> None:
    clauses.add("Khoản", 1000, 0)
    for n in range(6):
        clauses.add(f"điểm {n}", 1000, 1)
    assert [line[:2] for line in clauses.lines()[1:]] == ["a)", "b)", "c)", "d)", "e)", "f)"]


def test_article_level_text_reads_dieu_n(draft: Draft) -> None:
    draft.abstract(101, lvl(0, "decimal", "Điều %1."))
    draft.num(1001, 101)
    draft.add("Phạm vi điều chỉnh", 1001)
    draft.add("Đối tượng áp dụng", 1001)
    assert draft.lines() == ["Điều 1. Phạm vi điều chỉnh", "Điều 2. Đối tượng áp dụng"]


def test_chapters_in_upper_roman(draft: Draft) -> None:
    draft.abstract(102, lvl(0, "upperRoman", "Chương %1"))
    draft.num(1002, 102)
    for title in ("QUY ĐỊNH CHUNG", "TỔ CHỨC THỰC HIỆN"):
        draft.add("", 1002)  # an empty numbered paragraph still shows its number
        draft.add(title)
    assert draft.lines() == ["Chương I", "QUY ĐỊNH CHUNG", "Chương II", "TỔ CHỨC THỰC HIỆN"]


def test_nums_sharing_an_abstract_num_continue_unless_a_start_override_restarts(
    clauses: Draft,
) -> None:
    clauses.num(1003, 100)
    override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
    clauses.num(1004, 100, override)
    for text, num_id in [("A", 1000), ("B", 1000), ("C", 1003), ("D", 1004), ("E", 1004)]:
        clauses.add(text, num_id)
    assert clauses.lines() == ["1. A", "2. B", "3. C", "1. D", "2. E"]


def test_a_start_override_can_start_elsewhere_and_a_whole_level_be_replaced(draft: Draft) -> None:
    draft.abstract(103, lvl(0, "decimal", "%1."))
    override = (
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/>'
        f"{lvl(0, 'lowerRoman', '(%1)')}</w:lvlOverride>"
    )
    draft.num(1005, 103, override)
    draft.add("năm", 1005)
    draft.add("sáu", 1005)
    assert draft.lines() == ["(v) năm", "(vi) sáu"]


def test_bullets_give_the_text_alone_and_do_not_disturb_the_count(clauses: Draft) -> None:
    clauses.abstract(104, lvl(0, "bullet", "•"))
    clauses.num(1006, 104)
    clauses.add("Khoản", 1000)
    clauses.add("ý một", 1006)
    clauses.add("Khoản tiếp", 1000)
    assert clauses.lines() == ["1. Khoản", "ý một", "2. Khoản tiếp"]


def test_numbering_from_the_paragraph_style_and_its_base_style(draft: Draft) -> None:
    styles = draft.document.styles
    khoan = styles.add_style("Khoản", WD_STYLE_TYPE.PARAGRAPH)
    khoan.base_style = styles["List Number"]  # the template's `%1.` list, via w:pPr/w:numPr
    draft.document.add_paragraph("Một.", style="List Number")
    draft.document.add_paragraph("Hai.", style="Khoản")
    draft.document.add_paragraph("Gạch đầu dòng.", style="List Bullet")
    assert draft.lines() == ["1. Một.", "2. Hai.", "Gạch đầu dòng."]


def test_num_id_zero_switches_numbering_off_even_against_the_style(clauses: Draft) -> None:
    clauses.add("Một", 1000)
    clauses.add("Không đánh số", 0)
    clauses.document.add_paragraph("Cũng không", style="List Number")
    clauses.document.paragraphs[-1]._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:numId w:val="0"/></w:numPr>')
    )
    clauses.add("Hai", 1000)
    assert clauses.lines() == ["1. Một", "Không đánh số", "Cũng không", "2. Hai"]


def test_a_level_with_lvl_restart_zero_keeps_counting(draft: Draft) -> None:
    never = '<w:lvlRestart w:val="0"/>'
    draft.abstract(105, lvl(0, "decimal", "%1."), lvl(1, "decimal", "%1.%2.", extra=never))
    draft.num(1007, 105)
    for text, ilvl in [("A", 0), ("a", 1), ("B", 0), ("b", 1)]:
        draft.add(text, 1007, ilvl)
    assert draft.lines() == ["1. A", "1.1. a", "2. B", "2.2. b"]


def test_numbered_paragraphs_in_tables_count_in_document_order(clauses: Draft) -> None:
    clauses.add("Trước bảng", 1000)
    cell = clauses.document.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0]._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:numId w:val="1000"/></w:numPr>')
    )
    cell.paragraphs[0].add_run("Trong bảng")
    clauses.add("Sau bảng", 1000)
    assert clauses.lines() == ["1. Trước bảng", "2. Trong bảng", "3. Sau bảng"]


def test_a_document_without_a_numbering_part_reads_as_before(draft: Draft) -> None:
    draft.add("Chỉ có chữ")
    part = draft.document.part
    (r_id,) = [r_id for r_id, rel in part.rels.items() if rel.reltype == RT.NUMBERING]
    del part.rels[r_id]
    assert draft.lines() == ["Chỉ có chữ"]


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (4, "lowerLetter", "d"),
        (5, "lowerLetter", "e"),  # not đ: Word knows no Vietnamese alphabet
        (27, "lowerLetter", "aa"),
        (54, "upperLetter", "BBB"),
        (4, "lowerRoman", "iv"),
        (1994, "upperRoman", "MCMXCIV"),
        (7, "decimalZero", "07"),
        (3, "bullet", ""),
        (3, "ordinal", "3"),
    ],
)
def test_format_number(value: int, fmt: str, expected: str) -> None:
    assert format_number(value, fmt) == expected


def test_auto_numbered_articles_clauses_and_points_are_parsed(draft: Draft) -> None:
    draft.abstract(
        106,
        lvl(0, "decimal", "Điều %1."),
        lvl(1, "decimal", "%2."),
        lvl(2, "lowerLetter", "%3)"),
    )
    draft.num(1008, 106)
    draft.add("THÔNG TƯ")
    draft.add("Quy định về thi tốt nghiệp")
    draft.add("Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;")
    for text, ilvl in [
        ("Phạm vi điều chỉnh", 0),
        ("Thông tư này quy định về thi tốt nghiệp, gồm:", 1),
        ("Tổ chức thi;", 2),
        ("Công nhận tốt nghiệp.", 2),
        ("Thông tư này không áp dụng cho giáo dục thường xuyên.", 1),
        ("Đối tượng áp dụng", 0),
        ("Học sinh trung học phổ thông.", 1),
    ]:
        draft.add(text, 1008, ilvl)
    result = parse_draft("\n".join(draft.lines()))
    assert [(e.anchor, e.title) for e in outline(result)] == [
        ("mo-dau", ""),
        ("dieu-1", "Phạm vi điều chỉnh"),
        ("dieu-1-khoan-1", ""),
        ("dieu-1-khoan-1-diem-a", ""),
        ("dieu-1-khoan-1-diem-b", ""),
        ("dieu-1-khoan-2", ""),
        ("dieu-2", "Đối tượng áp dụng"),
        ("dieu-2-khoan-1", ""),
    ]
