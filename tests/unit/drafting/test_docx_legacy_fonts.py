"""DOCX drafts typed in the TCVN3 (`.VnTime`, `.VnTimeH`) and VNI (`VNI-Times`) fonts become
Unicode, whether the font is set on the run, its style or the document; text files too."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn
from docx.shared import Pt

from forum.drafting.docx_input import docx_to_text, typed_text, upload_to_text
from forum.drafting.structure import outline, parse_draft

TCVN3_DRAFT = [
    (".VnTimeH", "bé gi¸o dôc vµ ®µo t¹o"),
    (".VnTimeH", "th«ng t\xad"),
    (".VnTime", "Quy ®Þnh vÒ d¹y thªm, häc thªm"),
    (".VnTime", "C¨n cø LuËt Gi¸o dôc ngµy 14 th¸ng 6 n¨m 2019;"),
    (".VnTime", "§iÒu 1. Ph¹m vi ®iÒu chØnh"),
    (".VnTime", "1. Th«ng t\xad nµy quy ®Þnh vÒ d¹y thªm, häc thªm."),
    (".VnTime", "§iÒu 2. Nguyªn t¾c d¹y thªm"),
    ("Times New Roman", "Hoạt động dạy thêm phải tự nguyện."),
]
UNICODE_DRAFT = [
    "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
    "THÔNG TƯ",
    "Quy định về dạy thêm, học thêm",
    "Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;",
    "Điều 1. Phạm vi điều chỉnh",
    "1. Thông tư này quy định về dạy thêm, học thêm.",
    "Điều 2. Nguyên tắc dạy thêm",
    "Hoạt động dạy thêm phải tự nguyện.",
]


def _saved(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_fonts(run_or_style_font_element: object, name: str) -> None:
    fonts = run_or_style_font_element.get_or_add_rFonts()  # type: ignore[attr-defined]
    for attribute in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), name)


def test_runs_in_vntime_and_vntimeh_fonts_become_unicode() -> None:
    document = docx.Document()
    for font, text in TCVN3_DRAFT:
        run = document.add_paragraph().add_run(text)
        run.font.name = font
        run.font.size = Pt(14)
        _set_fonts(run._r.get_or_add_rPr(), font)
    text = docx_to_text(_saved(document))
    assert text.splitlines() == UNICODE_DRAFT
    draft = parse_draft(text)
    assert draft.title == "Thông tư Quy định về dạy thêm, học thêm"
    assert [e.anchor for e in outline(draft)] == ["mo-dau", "dieu-1", "dieu-1-khoan-1", "dieu-2"]


def test_a_font_set_by_the_style_or_the_document_counts() -> None:
    document = docx.Document()
    _set_fonts(document.styles["Normal"].element.get_or_add_rPr(), ".VnTime")
    heading = document.styles.add_style("Tieu de", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    heading.base_style = document.styles["Normal"]
    _set_fonts(heading.element.get_or_add_rPr(), ".VnTimeH")
    document.add_paragraph("bé gi¸o dôc vµ ®µo t¹o", style=heading)
    document.add_paragraph("§iÒu 1. Ph¹m vi ®iÒu chØnh")  # Normal: .VnTime
    vni = document.add_paragraph().add_run("Ñieàu 2. Nguyeân taéc daïy theâm")
    _set_fonts(vni._r.get_or_add_rPr(), "VNI-Times")
    assert docx_to_text(_saved(document)).splitlines() == [
        "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
        "Điều 1. Phạm vi điều chỉnh",
        "Điều 2. Nguyên tắc dạy thêm",
    ]


def test_a_unicode_document_is_read_as_it_is() -> None:
    document = docx.Document()
    for line in UNICODE_DRAFT:
        document.add_paragraph(line)
    document.add_paragraph("Giá: 5µm · © 2026 · «Bonjour» · Søren på øen")
    text = docx_to_text(_saved(document))
    assert text.splitlines() == [*UNICODE_DRAFT, "Giá: 5µm · © 2026 · «Bonjour» · Søren på øen"]


def test_tcvn3_text_files_and_pasted_text_become_unicode() -> None:
    lines = "\n".join(text for _, text in TCVN3_DRAFT[2:7])
    expected = "\n".join(UNICODE_DRAFT[2:7])
    assert upload_to_text("du-thao.txt", lines.encode("cp1252")) == expected
    assert upload_to_text("du-thao.md", lines.encode("utf-8")) == expected
    assert typed_text(lines) == expected
    assert upload_to_text("du-thao.txt", "\n".join(UNICODE_DRAFT).encode()) == "\n".join(
        UNICODE_DRAFT
    )
