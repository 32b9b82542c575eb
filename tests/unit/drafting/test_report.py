"""The comment report: DOCX opened back with python-docx, CSV read back with the csv module."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import docx
import pytest
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

from forum.drafting.report import (
    HEADERS,
    LATE_MARK,
    NO_COMMENTS,
    TITLE,
    ReportHeader,
    ReportRow,
    report_csv,
    summarise,
)
from forum.drafting.report_docx import report_docx

HANOI = timezone(timedelta(hours=7))
HEADER = ReportHeader(
    draft_title="Thông tư quy định về dạy thêm, học thêm",
    issuing_unit="Vụ Giáo dục Trung học",
    deadline=datetime(2024, 5, 15, 10, 0, tzinfo=UTC),  # 17:00 in Hà Nội
    generated_at=datetime(2024, 5, 20, 8, 30, tzinfo=HANOI),
)
# Mail from a Mac often arrives decomposed (NFD); the report must show composed text.
NFD_COMMENT = unicodedata.normalize(
    "NFD", "Đề nghị bỏ quy định thu tiền học thêm.\nLý do: trái luật."
)


def row(number: int, **changes: object) -> ReportRow:
    values: dict[str, object] = {
        "number": number,
        "provision": "Điều 5, khoản 2",
        "anchor": "dieu-5-khoan-2",
        "commenter": "Nguyễn Văn An",
        "unit": "Trường THPT Chu Văn An",
        "date": datetime(2024, 5, 3, 7, 5, tzinfo=UTC),
        "comment": "Đồng ý với dự thảo.",
        "response_kind": "",
        "response": "",
    } | changes
    return ReportRow(**values)  # type: ignore[arg-type]


ROWS = (
    row(1, comment=NFD_COMMENT, response_kind="accepted", response="Đã sửa khoản 2."),
    row(2, commenter="  nguyễn  văn an ", unit="trường THPT Chu Văn An", response_kind="partly"),
    row(3, unit="Trường THCS Lê Lợi", comment='=HYPERLINK("http://x")', late=True),
    row(
        4,
        provision="Góp ý chung",
        anchor=None,
        commenter="Trần Thị Bình",
        unit="Phòng GD&ĐT Quận 1",
        comment="- Thứ nhất: tên gọi.\r\n- Thứ hai:\tthời hạn.\x0c",
        response_kind="explained",
        response="Giữ như dự thảo vì\nđã có Luật Giáo dục quy định.",
    ),
)


def opened(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def only_table(document: Document) -> Table:
    (table,) = document.tables
    return table


@pytest.fixture(scope="module")
def document() -> Document:
    return opened(report_docx(HEADER, ROWS))


@pytest.fixture(scope="module")
def csv_rows() -> list[list[str]]:
    text = report_csv(ROWS)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_docx_page_is_a4_landscape(document: Document) -> None:
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width is not None
    assert section.page_height is not None
    # Word stores twentieths of a point, so millimetres come back rounded.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert section.left_margin is not None
    assert Mm(15) <= section.left_margin <= Mm(30)


def test_docx_columns_fit_between_the_margins(document: Document) -> None:
    section = document.sections[0]
    assert section.page_width is not None
    assert section.left_margin is not None
    assert section.right_margin is not None
    usable = section.page_width - section.left_margin - section.right_margin
    table = only_table(document)
    widths = [column.width or 0 for column in table.columns]
    assert sum(widths) <= usable
    assert widths[5] == max(widths)  # the comment gets the most room
    assert [cell.width for cell in table.rows[-1].cells] == widths  # what Word reads


def test_docx_title_block_names_draft_unit_deadline_and_date(document: Document) -> None:
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[:5] == [
        TITLE,
        "Dự thảo: Thông tư quy định về dạy thêm, học thêm",
        "Đơn vị chủ trì soạn thảo: Vụ Giáo dục Trung học",
        "Hạn góp ý: 15/05/2024 17:00",
        "Ngày lập bảng: 20/05/2024 08:30",
    ]
    assert document.paragraphs[0].runs[0].bold


def test_docx_summary_counts_follow_the_title(document: Document) -> None:
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert (
        "Tổng số: 4 ý kiến của 3 người góp ý thuộc 3 đơn vị, trong đó 1 ý kiến gửi sau hạn."
        in texts
    )
    assert "Tiếp thu: 1; Tiếp thu một phần: 1; Giải trình: 1; Chưa trả lời: 1." in texts


def test_docx_table_has_header_then_one_row_per_comment(document: Document) -> None:
    table = only_table(document)
    assert [cell.text for cell in table.rows[0].cells] == list(HEADERS)
    assert HEADERS[-1] == "Ý kiến tiếp thu, giải trình"
    assert len(table.rows) == 1 + len(ROWS)
    assert [r.cells[0].text for r in table.rows[1:]] == ["1", "2", "3", "4"]


def test_docx_header_row_repeats_on_each_page(document: Document) -> None:
    header, *body = only_table(document).rows
    assert header._tr.xpath("w:trPr/w:tblHeader")
    assert not any(r._tr.xpath("w:trPr/w:tblHeader") for r in body)


def test_docx_comment_cell_is_composed_vietnamese_one_paragraph_a_line(
    document: Document,
) -> None:
    cell = only_table(document).rows[1].cells[5]
    assert cell.text == "Đề nghị bỏ quy định thu tiền học thêm.\nLý do: trái luật."
    assert unicodedata.is_normalized("NFC", cell.text)
    assert len(cell.paragraphs) == 2


def test_docx_row_shows_provision_commenter_unit_and_date_in_vietnam_time(
    document: Document,
) -> None:
    cells = only_table(document).rows[1].cells
    assert [cell.text for cell in cells[1:5]] == [
        "Điều 5, khoản 2",
        "Nguyễn Văn An",
        "Trường THPT Chu Văn An",
        "03/05/2024 14:05",
    ]
    assert only_table(document).rows[4].cells[1].text == "Góp ý chung"


def test_docx_response_kind_in_words_then_the_response(document: Document) -> None:
    responses = [r.cells[6] for r in only_table(document).rows[1:]]
    assert [cell.text for cell in responses] == [
        "Tiếp thu\nĐã sửa khoản 2.",
        "Tiếp thu một phần",
        "Chưa trả lời",
        "Giải trình\nGiữ như dự thảo vì\nđã có Luật Giáo dục quy định.",
    ]
    assert responses[0].paragraphs[0].runs[0].bold
    assert not responses[0].paragraphs[1].runs[0].bold


def test_docx_late_comment_is_marked(document: Document) -> None:
    dates = [r.cells[4].text for r in only_table(document).rows[1:]]
    assert dates[2] == f"03/05/2024 14:05\n{LATE_MARK}"
    assert LATE_MARK == "(gửi sau hạn)"
    assert sum(LATE_MARK in text for text in dates) == 1


def test_docx_drops_characters_xml_cannot_hold(document: Document) -> None:
    cell = only_table(document).rows[4].cells[5]
    assert cell.text == "- Thứ nhất: tên gọi.\n- Thứ hai:\tthời hạn."


def test_docx_normal_style_is_times_new_roman_for_every_script(document: Document) -> None:
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size in (Pt(12), Pt(13))
    fonts = normal.element.rPr.rFonts
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert fonts.get(qn(f"w:{slot}")) == "Times New Roman"
    assert normal.element.rPr.xpath("w:lang/@w:val") == ["vi-VN"]


def test_empty_report_is_still_a_document_with_the_header_row() -> None:
    document = opened(
        report_docx(ReportHeader("Dự thảo", "Sở GD&ĐT", None, HEADER.generated_at), [])
    )
    table = only_table(document)
    assert [cell.text for cell in table.rows[0].cells] == list(HEADERS)
    assert len(table.rows) == 1
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "Hạn góp ý: không quy định" in texts
    assert "Tổng số: 0 ý kiến của 0 người góp ý thuộc 0 đơn vị." in texts
    assert texts[-1] == NO_COMMENTS


def test_csv_has_bom_crlf_and_vietnamese_header() -> None:
    text = report_csv([])
    assert text == "\ufeff" + ",".join(f'"{h}"' if "," in h else h for h in HEADERS) + "\r\n"
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")


def test_csv_rows_parse_back_in_report_order(csv_rows: list[list[str]]) -> None:
    header, *body = csv_rows
    assert header == list(HEADERS)
    assert [r[0] for r in body] == ["1", "2", "3", "4"]
    assert body[0][1:5] == [
        "Điều 5, khoản 2",
        "Nguyễn Văn An",
        "Trường THPT Chu Văn An",
        "03/05/2024 14:05",
    ]
    assert body[0][6] == "Tiếp thu\nĐã sửa khoản 2."
    assert body[2][4] == f"03/05/2024 14:05\n{LATE_MARK}"


def test_csv_multi_line_cells_are_quoted_and_composed(csv_rows: list[list[str]]) -> None:
    assert csv_rows[1][5] == "Đề nghị bỏ quy định thu tiền học thêm.\nLý do: trái luật."
    assert '"Đề nghị bỏ quy định thu tiền học thêm.\nLý do: trái luật."' in report_csv(ROWS)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_csv_cell_that_a_spreadsheet_would_evaluate_gets_an_apostrophe(start: str) -> None:
    (_, body) = csv.reader(io.StringIO(report_csv([row(1, comment=f"{start}1+1")])[1:]))
    assert body[5] == f"'{start}1+1"


def test_csv_formula_in_comment_is_defused(csv_rows: list[list[str]]) -> None:
    assert csv_rows[3][5] == '\'=HYPERLINK("http://x")'
    assert csv_rows[4][5].startswith("'- Thứ nhất")


def test_summary_counts_distinct_commenters_and_units() -> None:
    summary = summarise(ROWS)
    assert summary.comments == 4
    # Rows 1 and 2 are one person (spacing and case differ); row 3 has the same name at
    # another school, so it is another person.
    assert summary.commenters == 3
    assert summary.units == 3
    assert summary.late == 1


def test_summary_counts_every_response_kind() -> None:
    summary = summarise([*ROWS, row(5, response_kind="accepted")])
    assert summary.by_response == {"accepted": 2, "partly": 1, "explained": 1, "": 1}
    assert summarise([]).by_response == {"accepted": 0, "partly": 0, "explained": 0, "": 0}


def test_summary_does_not_count_a_missing_unit() -> None:
    assert summarise([row(1, unit=""), row(2, unit=" ")]).units == 0


def test_unknown_response_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown response kind"):
        row(1, response_kind="rejected")


def test_naive_date_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        report_csv([row(1, date=datetime(2024, 5, 3, 7, 5))])
