"""A message body cut into labelled blocks, and the author's own text among them."""

from __future__ import annotations

from archive.own_text.closing import Span, closing_spans, footers_start
from archive.own_text.kinds import Block, Kind
from archive.own_text.quoting import line_kinds

MAX_CHARS = 400_000  # past this (a pasted log), the rest is one more block of own text


def blocks(text: str) -> list[Block]:
    """The body's blocks in order; joining their texts with "\\n" gives the body back
    (with CRLF read as LF). Blank lines go with the block above them."""
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    rest = ""
    if len(text) > MAX_CHARS:
        cut = text.rfind("\n", 0, MAX_CHARS) + 1 or MAX_CHARS
        text, rest = text[:cut], text[cut:]
    lines = text.split("\n")
    if rest:
        lines.pop()  # the "" after the last "\n": `rest` continues that line
    spans = _spans(lines)
    found = [Block(kind, "\n".join(lines[first:last])) for kind, first, last in spans]
    if rest:
        found.append(Block(Kind.TEXT, rest))
    return _merged(found)


def own_text(text: str) -> str:
    """What the author wrote: no quotes, attributions, signatures, disclaimers or footers."""
    own = "\n".join(block.text for block in blocks(text) if block.kind is Kind.TEXT)
    return own.strip("\n")


def _spans(lines: list[str]) -> list[Span]:
    footers = footers_start(lines)
    kinds = line_kinds(lines[:footers])
    runs: list[Span] = []
    for index, kind in enumerate(kinds):
        blank = not lines[index].strip()
        if runs and (runs[-1][0] is kind or blank):
            runs[-1] = (runs[-1][0], runs[-1][1], index + 1)
        else:
            runs.append((kind, index, index + 1))
    final = max((i for i, run in enumerate(runs) if run[0] is Kind.TEXT), default=-1)
    spans: list[Span] = []
    for number, (kind, first, last) in enumerate(runs):
        if kind is Kind.TEXT:
            spans += closing_spans(lines, first, last, last=number == final)
        else:
            spans.append((kind, first, last))
    if footers < len(lines):
        spans.append((Kind.FOOTER, footers, len(lines)))
    return spans


def _merged(found: list[Block]) -> list[Block]:
    """Neighbours of one kind become one block (a signature split by a blank run)."""
    merged: list[Block] = []
    for block in found:
        if merged and merged[-1].kind is block.kind:
            merged[-1] = Block(block.kind, f"{merged[-1].text}\n{block.text}")
        else:
            merged.append(block)
    return merged
