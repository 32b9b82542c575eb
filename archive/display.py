"""Split a plain-text body into text, quoted and signature blocks, for folding on a page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["text", "quote", "signature"]

# Outlook quotes by appending the whole earlier mail under a separator line.
_ORIGINAL_MESSAGE = re.compile(r"^-{3,}\s*(Original Message|Thư gốc)\s*-{3,}\s*$", re.IGNORECASE)
_SIGNATURE_SEPARATORS = ("-- ", "--")


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    text: str  # the block's lines joined by "\n"; joining all blocks' texts gives the body


def split_blocks(text: str) -> list[Block]:
    """Blocks in order: quoted runs (">" lines, or an Outlook original) and the signature.

    The signature is everything from the last "-- " line that is not inside a quote. An
    attribution line ("On ... wrote:", "Vào ... đã viết:") stays with the text before it.
    """
    if not text:
        return []
    lines = text.split("\n")
    original_at = next((i for i, line in enumerate(lines) if _ORIGINAL_MESSAGE.match(line)), None)
    signature_at = _signature_start(lines, len(lines) if original_at is None else original_at)
    if original_at is not None and signature_at < original_at:
        # A signature above an Outlook original: text, signature, then the quoted original.
        body, signature = lines[:signature_at], lines[signature_at:original_at]
        tail = [Block("quote", "\n".join(lines[original_at:]))]
    else:
        body, signature, tail = lines[:signature_at], lines[signature_at:], []
    blocks: list[Block] = []
    run_kind: BlockKind | None = None
    run: list[str] = []
    for index, line in enumerate(body):
        if _ORIGINAL_MESSAGE.match(line):
            _flush(blocks, run_kind, run)
            blocks.append(Block("quote", "\n".join(body[index:])))
            run_kind, run = None, []
            break
        kind: BlockKind = "quote" if line.startswith(">") else "text"
        if kind != run_kind:
            _flush(blocks, run_kind, run)
            run_kind, run = kind, []
        run.append(line)
    _flush(blocks, run_kind, run)
    if signature:
        blocks.append(Block("signature", "\n".join(signature)))
    return blocks + tail


def _signature_start(lines: list[str], end: int) -> int:
    """Index of the last signature separator before `end`, or len(lines) when none."""
    for index in range(end - 1, -1, -1):
        if lines[index].rstrip("\r") in _SIGNATURE_SEPARATORS:
            return index
    return len(lines)


def _flush(blocks: list[Block], kind: BlockKind | None, run: list[str]) -> None:
    if kind is not None and run:
        blocks.append(Block(kind, "\n".join(run)))
