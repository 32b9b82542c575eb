"""The consolidated comment report on a draft (bảng tổng hợp ý kiến góp ý), as DOCX and CSV.

Pure functions over plain rows; the caller loads them and sorts them by provision.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.table import Table, _Cell

# Vietnamese words for `ReportRow.response_kind`, in the order the summary lists them.
RESPONSE_LABELS: Mapping[str, str] = {
    "accepted": "Tiếp thu",
    "partly": "Tiếp thu một phần",
    "explained": "Giải trình",
    "": "Chưa trả lời",
}
HEADERS = (
    "STT",
    "Điều khoản",
    "Người góp ý",
    "Đơn vị",
    "Ngày",
    "Nội dung góp ý",
    "Ý kiến tiếp thu, giải trình",
)
TITLE = "BẢNG TỔNG HỢP Ý KIẾN GÓP Ý"
LATE_MARK = "(gửi sau hạn)"
NO_COMMENTS = "Chưa có ý kiến góp ý nào."
# Vietnam has kept UTC+7 without daylight saving since 1975: a fixed offset needs no tzdata.
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")
FONT = "Times New Roman"

# A4 landscape; the margins leave 297 - 20 - 15 = 262 mm, which the columns fill exactly.
_PAGE = (Mm(297), Mm(210))
_MARGINS_MM = {"top": 20, "bottom": 20, "left": 20, "right": 15}
_WIDTHS = tuple(Mm(width) for width in (10, 28, 30, 32, 22, 80, 60))
_CENTERED = frozenset({0, 4})  # STT and Ngày
_RESPONSE_COLUMN = 6  # its first line, the response kind, is bold
_BODY_SIZE = Pt(12)  # Normal style and the table
_TITLE_BLOCK_SIZE = Pt(13)
_TITLE_SIZE = Pt(14)

# Characters XML 1.0 cannot hold (python-docx refuses them); lone surrogates come from
# undecodable mail bytes.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BLANK_RUN = re.compile(r"\n{3,}")
# A spreadsheet evaluates a cell that starts with one of these (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One comment as the report shows it."""

    number: int  # STT, 1-based, in report order
    provision: str  # "Điều 5, khoản 2" or "Góp ý chung"
    anchor: str | None  # "dieu-5-khoan-2"; None for a general comment
    commenter: str
    unit: str  # school or office
    date: datetime  # aware; shown in the site's time zone (Vietnam time by default)
    comment: str
    response_kind: str  # a key of RESPONSE_LABELS
    response: str
    late: bool = False  # arrived after the deadline

    def __post_init__(self) -> None:
        if self.response_kind not in RESPONSE_LABELS:
            raise ValueError(f"unknown response kind {self.response_kind!r}")


@dataclass(frozen=True, slots=True)
class ReportHeader:
    draft_title: str
    issuing_unit: str
    deadline: datetime | None
    generated_at: datetime


@dataclass(frozen=True, slots=True)
class Summary:
    comments: int
    commenters: int  # distinct (name, unit): two schools may each have a Nguyễn Văn An
    units: int  # distinct non-empty units
    by_response: dict[str, int]  # every key of RESPONSE_LABELS, in its order, zeros included
    late: int = 0


def summarise(rows: Sequence[ReportRow]) -> Summary:
    """Counts for the report's opening lines; names compare case- and spacing-insensitively."""
    by_response = dict.fromkeys(RESPONSE_LABELS, 0)
    for row in rows:
        by_response[row.response_kind] += 1
    return Summary(
        comments=len(rows),
        commenters=len({(_fold(row.commenter), _fold(row.unit)) for row in rows}),
        units=len({_fold(row.unit) for row in rows} - {""}),
        by_response=by_response,
        late=sum(row.late for row in rows),
    )


def report_docx(
    header: ReportHeader, rows: Sequence[ReportRow], zone: tzinfo = VIETNAM_TIME
) -> bytes:
    """The report as a Word document: A4 landscape, title block, summary, one table.

    Each row repeats its provision rather than merging cells vertically: a row then stands
    alone when the table breaks across pages, is pasted into a spreadsheet or loses a neighbour.
    """
    document = docx.Document()
    _set_page(document)
    _set_fonts(document)
    _add_title_block(document, header, summarise(rows), zone)
    table = _add_table(document, len(rows))
    for table_row, row in zip(table.rows[1:], rows, strict=True):
        for index, (cell, text) in enumerate(
            zip(table_row.cells, _cell_texts(row, zone), strict=True)
        ):
            cell.width = _WIDTHS[index]
            bold_lines = 1 if index == _RESPONSE_COLUMN else 0
            _write(cell, text, center=index in _CENTERED, bold_lines=bold_lines)
    if not rows:
        document.add_paragraph(NO_COMMENTS)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def report_csv(rows: Sequence[ReportRow], zone: tzinfo = VIETNAM_TIME) -> str:
    """The table as CSV text: a BOM first (Excel then reads UTF-8), CRLF rows, defused formulas.

    Encode the result as "utf-8" (not "utf-8-sig", which would add a second BOM).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_defuse(text) for text in _cell_texts(row, zone)])
    return "\ufeff" + out.getvalue()


def _cell_texts(row: ReportRow, zone: tzinfo) -> tuple[str, ...]:
    """The seven cells of a row, lines separated by "\n", shared by both formats."""
    date = _when(row.date, zone) + (f"\n{LATE_MARK}" if row.late else "")
    label = RESPONSE_LABELS[row.response_kind]
    response = _clean(row.response)
    return (
        str(row.number),
        _clean(row.provision),
        _clean(row.commenter),
        _clean(row.unit),
        date,
        _clean(row.comment),
        f"{label}\n{response}" if response else label,
    )


def _clean(text: str) -> str:
    """NFC text with "\n" line ends, no XML-forbidden characters, at most one blank line."""
    text = _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (line.rstrip() for line in unicodedata.normalize("NFC", text).split("\n"))
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _when(moment: datetime, zone: tzinfo) -> str:
    if moment.utcoffset() is None:
        raise ValueError(f"report dates must be timezone-aware, got {moment!r}")
    return moment.astimezone(zone).strftime("%d/%m/%Y %H:%M")


def _defuse(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _set_page(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = _PAGE
    section.top_margin = Mm(_MARGINS_MM["top"])
    section.bottom_margin = Mm(_MARGINS_MM["bottom"])
    section.left_margin = Mm(_MARGINS_MM["left"])
    section.right_margin = Mm(_MARGINS_MM["right"])


def _set_fonts(document: Document) -> None:
    """Times New Roman for every script slot, in the defaults and Normal; Vietnamese proofing."""
    normal = document.styles["Normal"]
    normal.font.size = _BODY_SIZE
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.0
    rpr = normal.element.get_or_add_rPr()
    defaults = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts")
    for fonts in [rpr.get_or_add_rFonts(), *defaults]:
        for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{theme}"), None)  # a theme font would win over ours
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{slot}"), FONT)
    lang = OxmlElement("w:lang", {qn("w:val"): "vi-VN"})
    rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")


def _add_title_block(
    document: Document, header: ReportHeader, summary: Summary, zone: tzinfo
) -> None:
    deadline = _when(header.deadline, zone) if header.deadline else "không quy định"
    _title_line(document, TITLE, size=_TITLE_SIZE, bold=True)
    _title_line(document, f"Dự thảo: {_clean(header.draft_title)}", bold=True)
    _title_line(document, f"Đơn vị chủ trì soạn thảo: {_clean(header.issuing_unit)}")
    _title_line(document, f"Hạn góp ý: {deadline}")
    _title_line(document, f"Ngày lập bảng: {_when(header.generated_at, zone)}", italic=True)
    late = f", trong đó {summary.late} ý kiến gửi sau hạn" if summary.late else ""
    _title_line(
        document,
        f"Tổng số: {summary.comments} ý kiến của {summary.commenters} người góp ý"
        f" thuộc {summary.units} đơn vị{late}.",
        center=False,
    )
    counts = "; ".join(
        f"{label}: {summary.by_response[kind]}" for kind, label in RESPONSE_LABELS.items()
    )
    _title_line(document, f"{counts}.", center=False)


def _title_line(
    document: Document,
    text: str,
    *,
    size: Length = _TITLE_BLOCK_SIZE,
    bold: bool = False,
    italic: bool = False,
    center: bool = True,
) -> None:
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size = size
    if bold:
        run.bold = True
    if italic:
        run.italic = True


def _add_table(document: Document, body_rows: int) -> Table:
    """The table: a header row repeated atop every page (w:tblHeader), then `body_rows` empty."""
    table: Table = document.add_table(rows=1 + body_rows, cols=len(HEADERS))
    table.style = "Table Grid"
    table.autofit = False  # fixed layout: Word keeps the widths below
    for column, width in zip(table.columns, _WIDTHS, strict=True):
        column.width = width  # w:gridCol, which LibreOffice reads
    header = table.rows[0]
    for cell, text, width in zip(header.cells, HEADERS, _WIDTHS, strict=True):
        cell.width = width  # w:tcW, which Word reads (set on every cell)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _write(cell, text, center=True, bold_lines=1)
    trpr = header._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    trpr.insert_element_before(flag, "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del")
    return table


def _write(cell: _Cell, text: str, *, center: bool = False, bold_lines: int = 0) -> None:
    """Each line of `text` as its own paragraph in the cell; the first `bold_lines` bold."""
    for index, line in enumerate(text.split("\n")):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if not line:
            continue  # a blank line stays an empty paragraph
        run = paragraph.add_run(line)
        if index < bold_lines:
            run.bold = True
