"""The labels of a message's blocks: the author's own text and what surrounds it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"  # the author's own words
    QUOTE = "quote"  # lines marked with ">"
    ATTRIBUTION = "attribution"  # "On ... wrote:", or the header block above an original
    ORIGINAL = "original"  # a quoted original without ">" marks, under a header block
    SIGNATURE = "signature"  # "-- ", a closing and a name block, "Sent from my iPhone"
    DISCLAIMER = "disclaimer"  # an office's confidentiality or liability notice
    FOOTER = "footer"  # what a mailing list appends (Mailman, Google Groups, ours)


@dataclass(frozen=True, slots=True)
class Block:
    kind: Kind
    text: str  # the block's lines joined by "\n"; joining all blocks' texts gives the body
