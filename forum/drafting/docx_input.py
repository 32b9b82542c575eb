"""An uploaded draft as plain text, one paragraph a line, for `parse_draft`.

Run formatting is dropped, so a bold `Điều 1.` run joins its title as plain text. Tables are
read cell by cell in document order: letterheads and appendix forms are usually tables. Word's
automatic numbering is written out (`1. `, `a) `, `Điều 5. `) as Word displays it. Runs set in
a TCVN3 or VNI font become Unicode, and so does TCVN3 or VNI in a `.txt`/`.md` file or pasted.
"""

from __future__ import annotations

from archive.budget import OverBudget, run_limited
from archive.charsets import decode_bytes
from archive.document_limits import DocumentLimits, NotAPackage, check_package
from archive.legacy_vietnamese import to_unicode

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
    process stopped at its time and memory limits. (`docx_reading`, and python-docx with it,
    is imported here: some 30 ms that every command's start would pay.)"""
    from forum.drafting import docx_reading

    try:
        size = check_package(data, limits)
        if size.elements <= limits.in_process_elements:
            return docx_reading.read_docx(data)
        target = f"{docx_reading.__name__}:read_docx_bytes"
        return run_limited(target, data, limits.confined).decode()
    except NotAPackage as error:
        raise NotADocx(f"not a DOCX document: {error}") from error
    except OverBudget as error:
        raise DocxTooLarge(error.reason) from error
    except ValueError as error:  # NotADocx from the child, as its message
        raise NotADocx(str(error)) from error
