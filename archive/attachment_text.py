"""The readable text of an attachment, for whatever shows or indexes attachments' contents.

Text parts are decoded like bodies (any charset, TCVN3 and VNI converted); an extractor for
another format (.doc, .docx, .pdf) hands what it extracts to `readable`, which converts the
legacy Vietnamese encodings that old office files are full of.
"""

from __future__ import annotations

from archive.charsets import decode_bytes
from archive.legacy_vietnamese import to_unicode
from archive.parsed import ParsedAttachment

TEXT_TYPES = ("text/plain", "text/csv", "text/markdown")


def attachment_text(attachment: ParsedAttachment, charset: str | None = None) -> str | None:
    """The attachment's text when it is text, else None (no extractor for its format yet)."""
    if attachment.content_type not in TEXT_TYPES:
        return None
    return decode_bytes(attachment.data, charset)[0]


def readable(extracted: str) -> str:
    """Text an extractor took out of a document, with TCVN3 or VNI converted to Unicode."""
    return to_unicode(extracted).text
