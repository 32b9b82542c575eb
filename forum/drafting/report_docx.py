"""The consolidated comment report as a Word document: A4 landscape, title block, summary, one
table of the report's cells (`report`). python-docx is imported with this module only: some
30 ms of the start of every command and of the web process, for a page few ask for.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import tzinfo

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.table import Table, _Cell

from forum.drafting.report import (
    HEADERS,
    NO_COMMENTS,
    RESPONSE_LABELS,
    TITLE,
    VIETNAM_TIME,
    ReportHeader,
    ReportRow,
    Summary,
    cell_texts,
    clean,
    summarise,
    when,
)

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
            zip(table_row.cells, cell_texts(row, zone), strict=True)
        ):
            cell.width = _WIDTHS[index]
            bold_lines = 1 if index == _RESPONSE_COLUMN else 0
            _write(cell, text, center=index in _CENTERED, bold_lines=bold_lines)
    if not rows:
        document.add_paragraph(NO_COMMENTS)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


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
    deadline = when(header.deadline, zone) if header.deadline else "không quy định"
    _title_line(document, TITLE, size=_TITLE_SIZE, bold=True)
    _title_line(document, f"Dự thảo: {clean(header.draft_title)}", bold=True)
    _title_line(document, f"Đơn vị chủ trì soạn thảo: {clean(header.issuing_unit)}")
    _title_line(document, f"Hạn góp ý: {deadline}")
    _title_line(document, f"Ngày lập bảng: {when(header.generated_at, zone)}", italic=True)
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
