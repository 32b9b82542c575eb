"""Which lines of a reply are quoted: `>` runs, attribution lines, and the unmarked original
that Outlook, Yahoo and forwards put under a separator or a header block."""

from __future__ import annotations

from archive.own_text.kinds import Kind
from archive.own_text.patterns import (
    ATTRIBUTION_END,
    ATTRIBUTION_START,
    HEADER_FIELD,
    HEADER_FROM,
    HEADER_INLINE,
    QUOTE_MARKS,
    RULE,
    SEPARATOR,
    folded,
)

_LONGEST_ATTRIBUTION = 300  # characters; a longer "On ... wrote:" is prose
_HEADER_SPAN = 9  # lines a header block's fields may spread over (wrapped To: lists)


def line_kinds(lines: list[str]) -> list[Kind]:
    """One kind per line: TEXT, QUOTE, ATTRIBUTION or ORIGINAL (everything under a header
    block or an attribution whose original is not marked with `>`). Blank lines are TEXT."""
    kinds: list[Kind] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            kinds.append(Kind.TEXT)
            index += 1
            continue
        if QUOTE_MARKS.match(line):
            kinds.append(Kind.QUOTE)
            index += 1
            continue
        header = _original_starts(lines, index)
        end = header or attribution_end(lines, index)
        if end is None:
            kinds.append(Kind.TEXT)
            index += 1
            continue
        kinds += [Kind.ATTRIBUTION] * (end - index)
        # Unmarked text under a header block is the original; under an "On ... wrote:" line
        # it is one only below a top-posted answer (Yahoo), else the author cut the quote.
        top_posted = header is not None or Kind.TEXT in _written(kinds, lines)
        if top_posted and not _quote_follows(lines, end):
            kinds += [Kind.ORIGINAL] * (len(lines) - end)
            break
        index = end  # an answer between the quoted lines (Outlook Express, Thunderbird)
    return kinds


def _written(kinds: list[Kind], lines: list[str]) -> set[Kind]:
    """The kinds of the non-blank lines classified so far."""
    return {kind for kind, line in zip(kinds, lines, strict=False) if line.strip()}


def _original_starts(lines: list[str], index: int) -> int | None:
    """Where the unmarked original starts, when `index` opens a separator or header block."""
    if SEPARATOR.match(folded(lines[index])):  # the header block under it is attribution too
        end = _header_end(lines, index + 1)
        return index + 1 if end is None else end
    return _header_end(lines, index + 1 if RULE.match(lines[index].strip()) else index)


def _header_end(lines: list[str], index: int) -> int | None:
    """After `From:`/`Từ:` and two more header fields (`Sent:`, `To:`, `Chủ đề:` ...)."""
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines):
        return None
    first = folded(lines[index])
    if not HEADER_FROM.match(first):
        return None
    if len(HEADER_INLINE.findall(first)) >= 2:  # noqa: PLR2004 - From plus two fields
        return index + 1  # the whole header on one line, as some HTML conversions leave it
    fields, end = 0, None
    for offset in range(1, _HEADER_SPAN):
        if index + offset >= len(lines):
            break
        if HEADER_FIELD.match(folded(lines[index + offset])):
            fields, end = fields + 1, index + offset + 1
    return end if fields >= 2 else None  # noqa: PLR2004 - From plus two fields


def attribution_end(lines: list[str], index: int) -> int | None:
    """End of an "On ... wrote:" / "Vào ... đã viết:" line, which clients may wrap."""
    first = folded(lines[index])
    if ATTRIBUTION_START.match(first):
        joined = first
        for end in range(index + 1, min(index + 4, len(lines) + 1)):
            if ATTRIBUTION_END.match(joined) and len(joined) < _LONGEST_ATTRIBUTION:
                if any(c.isdigit() for c in joined):  # a date: a client wrote it
                    return end
                return end if _quote_follows(lines, end) else None  # prose, unless quoting
            if end < len(lines):
                joined = f"{joined} {folded(lines[end])}"
        return None
    if len(first) > _LONGEST_ATTRIBUTION or not ATTRIBUTION_END.match(first):
        return None
    # Thunderbird: "Nguyễn Văn A wrote:" right above the quote
    return index + 1 if _quote_follows(lines, index + 1) else None


def _quote_follows(lines: list[str], index: int) -> bool:
    following = next((rest for rest in lines[index:] if rest.strip()), ">")
    return QUOTE_MARKS.match(following) is not None
