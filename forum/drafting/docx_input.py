"""A DOCX draft as plain text, one paragraph a line, for `parse_draft` (.md/.txt need nothing).

Run formatting is dropped, so a bold `Điều 1.` run joins its title as plain text. Tables are
read cell by cell in document order: letterheads and appendix forms are usually tables. Word's
automatic numbering is written out (`1. `, `a) `, `Điều 5. `) as Word displays it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from forum.drafting.docx_numbering import Numbering


class NotADocx(ValueError):
    """The bytes are not a Word document (a .doc, a PDF, a broken upload)."""


def docx_to_text(data: bytes) -> str:
    """The document's paragraphs and table cells as lines of text, in document order."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise NotADocx(f"not a DOCX document: {error}") from error
    return "\n".join(_lines(document.iter_inner_content(), Numbering.of(document)))


def _lines(blocks: Iterator[Paragraph | Table], numbering: Numbering) -> Iterator[str]:
    """Lines of paragraphs and tables; nested tables wait on a stack (no recursion)."""
    pending: list[Iterator[Paragraph | Table]] = [blocks]
    while pending:
        block = next(pending[-1], None)
        if block is None:
            pending.pop()
        elif isinstance(block, Paragraph):
            number, text = numbering.label(block._p), block.text  # every paragraph counts, in order
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
