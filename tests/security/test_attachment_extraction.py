"""Reading attachments' text: every format, and hostile files recorded as not extracted
instead of stopping the reader."""

from __future__ import annotations

import io
import time
import zipfile

from archive.extract.outcome import Status, read_attachment
from tests.documents import docx_file, pdf, xlsx_file
from tests.security.hostile_files import billion_laughs, paragraphs


def test_a_pdf_gives_its_text_page_by_page() -> None:
    found = read_attachment("CV 1234.pdf", "application/pdf", pdf(["Trang một", "hồ sơ xét tuyển"]))
    assert found.status == Status.TEXT
    assert found.unit == "page"
    assert found.pages == 2
    first, second = found.text.split("\f")
    assert "xét tuyển" in second or "xet tuyen" in second
    assert "tuy" not in first


def test_docx_and_xlsx_give_their_text() -> None:
    word = read_attachment("a.docx", "application/octet-stream", docx_file(["Kế hoạch thi"]))
    assert word.status == Status.TEXT
    assert "Kế hoạch thi" in word.text
    book = read_attachment("b.xlsx", "", xlsx_file([["Trường", "Số học sinh"], ["A", "12"]]))
    assert book.status == Status.TEXT
    assert book.unit == "sheet"
    assert "Số học sinh" in book.text
    assert "12" in book.text


def test_an_odt_gives_its_text() -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text="Công văn về tuyển sinh"))
    out = io.BytesIO()
    document.write(out)
    found = read_attachment("c.odt", "", out.getvalue())
    assert found.status == Status.TEXT
    assert "Công văn về tuyển sinh" in found.text


def test_an_ods_gives_its_cells_sheet_by_sheet() -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for name, text in (("Danh sách", "Trường THPT Chu Văn An"), ("Điểm", "Ngữ văn 8,5")):
        sheet, row, cell = Table(name=name), TableRow(), TableCell()
        cell.addElement(P(text=text))
        row.addElement(cell)
        sheet.addElement(row)
        document.spreadsheet.addElement(sheet)
    out = io.BytesIO()
    document.write(out)
    found = read_attachment("diem.ods", "", out.getvalue())
    assert found.status == Status.TEXT
    assert found.unit == "sheet"
    assert found.text.split("\f") == ["Danh sách\nTrường THPT Chu Văn An", "Điểm\nNgữ văn 8,5"]


def test_legacy_vietnamese_in_a_text_file_becomes_unicode() -> None:
    found = read_attachment("notes.txt", "text/plain", "Hå s¬ xÐt tuyÓn".encode("latin-1"))
    assert found.status == Status.TEXT
    assert "xét tuyển" in found.text


def test_an_encrypted_pdf_is_recorded_not_extracted() -> None:
    found = read_attachment("secret.pdf", "application/pdf", pdf(["mật"], password="x"))
    assert found.status == Status.SKIPPED
    assert "encrypted" in found.reason


def test_a_zip_bomb_docx_is_recorded_not_extracted() -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"<a>" + b" " * (200 * 1024 * 1024) + b"</a>")
    started = time.monotonic()
    found = read_attachment("bomb.docx", "", bomb.getvalue())
    assert found.status == Status.SKIPPED
    assert "unpacked" in found.reason
    assert time.monotonic() - started < 10
    laughs = read_attachment("laughs.docx", "", billion_laughs())
    assert laughs.status == Status.SKIPPED
    many = read_attachment("many.docx", "", paragraphs(300_000))
    assert many.status == Status.SKIPPED
    assert "XML elements" in many.reason


def test_a_pdf_of_a_million_objects_is_recorded_not_extracted() -> None:
    body = b"".join(b"%d 0 obj\n<< >>\nendobj\n" % n for n in range(1, 1_000_001))
    found = read_attachment("huge.pdf", "application/pdf", b"%PDF-1.4\n" + body + b"%%EOF")
    assert found.status == Status.SKIPPED
    assert "objects" in found.reason


def test_garbage_and_images_never_raise() -> None:
    assert read_attachment("x.pdf", "application/pdf", b"not a pdf").status == Status.SKIPPED
    assert read_attachment("x.docx", "", b"PK\x03\x04 broken").status == Status.SKIPPED
    assert read_attachment("x.png", "image/png", b"\x89PNG").status == Status.NONE
