"""The policy our own messages are written with (automatic mail, web posts, digests, draft
announcements).

CPython's folding of a long non-ASCII unstructured header, such as a Vietnamese Subject, drops
the space where it splits between two encoded words: "Diễn đàn của bạn" reaches the reader as
"Diễn đàncủa bạn". Such headers are encoded here by `email.header`, which keeps every space
inside the encoded words; everything else is folded as the default policy does.
"""

from __future__ import annotations

from email.header import Header
from email.headerregistry import UnstructuredHeader
from email.policy import EmailPolicy
from typing import Any


class _KeepSpaces(EmailPolicy):
    def fold(self, name: str, value: Any) -> str:
        if isinstance(value, UnstructuredHeader) and not str(value).isascii():
            encoded = Header(str(value), "utf-8", header_name=name).encode(linesep=self.linesep)
            return f"{name}: {encoded}{self.linesep}"
        return str(super().fold(name, value))

    def fold_binary(self, name: str, value: Any) -> bytes:
        if isinstance(value, UnstructuredHeader) and not str(value).isascii():
            return self.fold(name, value).encode("ascii")
        return bytes(super().fold_binary(name, value))


OUTGOING = _KeepSpaces()


MAX_LINE_BYTES = 998  # RFC 5322 section 2.1.1


def text_encoding(text: str) -> str:
    """The Content-Transfer-Encoding of a text part we write: 8bit, so that links and words
    stay whole and an administrator can grep the outgoing mail; quoted-printable only when a
    line is longer than RFC 5322 allows. Never base64 for text."""
    longest = max((len(line.encode("utf-8")) for line in text.splitlines()), default=0)
    return "8bit" if longest <= MAX_LINE_BYTES else "quoted-printable"
