"""Make decoded text safe for every database: no NUL characters, no lone surrogates."""

from __future__ import annotations


def storable(text: str) -> str:
    """PostgreSQL refuses NUL in text and UTF-8 cannot encode lone surrogates."""
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.encode("utf-8", "replace").decode("utf-8")
    return text
