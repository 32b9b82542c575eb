"""A Word document read as lines of text (`docx_input.docx_to_text` checks its size first and
calls this, in a child process when it is large)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from forum.drafting.docx_fonts import LegacyFonts
from forum.drafting.docx_input import NotADocx, typed_text
from forum.drafting.docx_numbering import Numbering


def read_docx_bytes(data: bytes) -> bytes:
    """read_docx's work on bytes, for a child process (see archive.budget)."""
    return read_docx(data).encode()


def read_docx(data: bytes) -> str:
    """The document's paragraphs and table cells as lines, in document order (NotADocx when
    python-docx cannot open it)."""
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
