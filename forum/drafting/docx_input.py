"""An uploaded draft as plain text, one paragraph a line, for `parse_draft`.

Run formatting is dropped, so a bold `Điều 1.` run joins its title as plain text. Tables are
read cell by cell in document order: letterheads and appendix forms are usually tables. Word's
automatic numbering is written out (`1. `, `a) `, `Điều 5. `) as Word displays it. Runs set in
a TCVN3 or VNI font become Unicode, and so does TCVN3 or VNI in a `.txt`/`.md` file or pasted.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from archive.budget import OverBudget, run_limited
from archive.charsets import decode_bytes
from archive.document_limits import DocumentLimits, NotAPackage, check_package
from archive.legacy_vietnamese import to_unicode
from forum.drafting.docx_fonts import LegacyFonts
from forum.drafting.docx_numbering import Numbering

DOCX_LIMITS = DocumentLimits()


class NotADocx(ValueError):
    """The bytes are not a Word document (a .doc, a PDF, a broken upload)."""


def upload_to_text(filename: str, data: bytes) -> str:
    """The text of an uploaded draft: a `.docx`, or text in any charset (UTF-8 first).
    Raises NotADocx for a `.docx` that is not one."""
    if filename.lower().endswith(".docx"):
        return docx_to_text(data)
    return decode_bytes(data, None)[0]


def typed_text(text: str) -> str:
    """Draft text pasted into the form: TCVN3 or VNI copied from an old file is converted."""
    return to_unicode(text).text


class DocxTooLarge(OverBudget):
    """The document is too big or too slow to read; `reason` says how."""


def docx_to_text(data: bytes, limits: DocumentLimits = DOCX_LIMITS) -> str:
    """The document's paragraphs and table cells as lines of text, in document order.

    Its size is checked first (NotADocx, DocxTooLarge); a large one is read in a child
    process stopped at its time and memory limits."""
    try:
        size = check_package(data, limits)
        if size.elements <= limits.in_process_elements:
            return _read(data)
        return run_limited(f"{__name__}:read_docx_bytes", data, limits.confined).decode()
    except NotAPackage as error:
        raise NotADocx(f"not a DOCX document: {error}") from error
    except OverBudget as error:
        raise DocxTooLarge(error.reason) from error
    except ValueError as error:  # NotADocx from the child, as its message
        raise NotADocx(str(error)) from error


def read_docx_bytes(data: bytes) -> bytes:
    """docx_to_text's work on bytes, for a child process (see archive.budget)."""
    return _read(data).encode()


def _read(data: bytes) -> str:
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise NotADocx(f"not a DOCX document: {error}") from error
    except etree.XMLSyntaxError as error:
        raise NotADocx(f"not a DOCX document: {error}") from error
    lines = _lines(document.iter_inner_content(), Numbering.of(document), LegacyFonts(document))
    return typed_text("\n".join(lines))  # TCVN3 in a font that does not say so


def _lines(
    blocks: Iterator[Paragraph | Table], numbering: Numbering, fonts: LegacyFonts
) -> Iterator[str]:
    """Lines of paragraphs and tables; nested tables wait on a stack (no recursion)."""
    pending: list[Iterator[Paragraph | Table]] = [blocks]
    while pending:
        block = next(pending[-1], None)
        if block is None:
            pending.pop()
        elif isinstance(block, Paragraph):
            number, text = numbering.label(block._p), fonts.text(block)  # every one counts
            text = number + text if text else number.rstrip()
            yield from text.split("\n")  # a soft line break (Shift+Enter) reads as "\n"
        else:
            pending.append(_cells(block))


def _cells(table: Table) -> Iterator[Paragraph | Table]:
    """Each cell's content once: a merged cell appears in every grid position it spans."""
    seen: set[int] = set()
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) in seen:  # the identity of the merged <w:tc>
                continue
            seen.add(id(cell._tc))
            yield from cell.iter_inner_content()
