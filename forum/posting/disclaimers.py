"""The lines of a body that speak about the mail rather than in it: the signature, list
footers and any confidentiality disclaimer, which the confidentiality detector does not read.

The archive's own-text splitter (archive.own_text) labels signatures, disclaimers and footers;
this adds the detector's own, wider reading of disclaimers (any paragraph that addresses
whoever got the mail by mistake, or restricts "this email"), since missing one means a false
hold on every mail its sender writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.own_text import Kind, blocks
from forum.posting.syllables import quick_fold

_LETTERS = re.compile(r"[^\W\d_]+")  # syllables, as in `forum.posting.syllables`

# A disclaimer is known by its shape, not by the word "confidential": it addresses whoever got
# the mail by mistake, or restricts who may use "this email". Folded, as plain syllables.
_UNINTENDED = (
    *("khong phai la nguoi nhan", "khong phai nguoi nhan", "nhan nham", "gui nham"),
    *("do nham lan", "nham lan", "nham dia chi", "khong dung nguoi nhan"),
    *("not the intended recipient", "not an intended recipient", "not the named recipient"),
    *("not the addressee", "not the intended addressee", "received this in error"),
    *("received this email in error", "received this e mail in error"),
    *("received this message in error", "received this communication in error"),
)
_ABOUT_ITSELF = (
    *("email nay", "e mail nay", "mail nay", "thu nay", "thu dien tu nay", "thong diep nay"),
    *("tin nhan nay", "this email", "this e mail", "this message", "this communication"),
    *("this transmission", "this mail"),
)
_RESTRICTED = (
    *("chi danh cho", "danh rieng cho", "chi danh rieng cho", "chi duoc su dung", "co the chua"),
    *("nghiem cam", "khong duoc phep", "intended solely", "intended only", "intended exclusively"),
    *("for the sole use", "for the exclusive use", "for the use of the", "may contain"),
)
_HEADINGS = (
    *("disclaimer", "confidentiality notice", "confidentiality", "legal notice"),
    *("important notice", "mien tru trach nhiem", "tuyen bo mien tru trach nhiem", "luu y"),
    *("chu y", "thong bao bao mat", "luu y bao mat", "canh bao bao mat", "important"),
    *("confidential", "strictly confidential", "private and confidential"),
)
_SHORT_HEADING = 6  # syllables: a heading line above a disclaimer, not a sentence
# After the sign-off, a paragraph about "this email" is a footer even when it addresses nobody
# ("Thông tin trong email này là tài liệu mật." under every mail a sender writes).
_SIGN_OFFS = (
    *("tran trong", "than ai", "than men", "kinh thu", "kinh chao", "xin cam on", "cam on"),
    *("best regards", "kind regards", "regards", "best", "thanks", "thank you", "cheers"),
    *("sent from", "gui tu", "duoc gui tu"),
)
_SHORT_SIGN_OFF = 4  # syllables
_NOT_WRITTEN = frozenset({Kind.SIGNATURE, Kind.FOOTER})  # disclaimers: cut finer below


def unscanned_lines(body: str) -> frozenset[int]:
    """0-based numbers of the lines of `body` in its signature or in a disclaimer."""
    lines = body.split("\n")
    skipped = set(_signature_lines(body))
    paragraphs = list(_paragraphs(lines))
    signed_off = next((n for n, line in enumerate(lines) if _is_sign_off(_plain(line))), None)
    for number, paragraph in enumerate(paragraphs):
        closing = signed_off is not None and paragraph[0] > signed_off
        cut = _disclaimer_from(lines, paragraph, closing)
        if cut is None:
            continue
        skipped.update(paragraph[cut:])
        heading = paragraphs[number - 1] if number else []
        if len(heading) == 1 and _is_heading(_plain(lines[heading[0]])):
            skipped.update(heading)
    return frozenset(skipped)


def _signature_lines(body: str) -> Iterator[int]:
    at = 0
    for block in blocks(body):
        count = block.text.count("\n") + 1
        if block.kind in _NOT_WRITTEN:
            yield from range(at, at + count)
        at += count


def _paragraphs(lines: list[str]) -> Iterator[list[int]]:
    """Runs of non-blank lines (quote marks aside), as line numbers."""
    run: list[int] = []
    for number, line in enumerate(lines):
        if line.strip(" \t\r>"):
            run.append(number)
        elif run:
            yield run
            run = []
    if run:
        yield run


def _disclaimer_from(lines: list[str], paragraph: list[int], closing: bool) -> int | None:
    """Where a disclaimer starts in the paragraph (an index into it), if it is one."""
    whole = _plain(" ".join(lines[number] for number in paragraph))
    about_itself = _has(whole, _ABOUT_ITSELF)
    if not (_has(whole, _UNINTENDED) or (about_itself and (closing or _has(whole, _RESTRICTED)))):
        return None
    cues = _UNINTENDED + _ABOUT_ITSELF + _RESTRICTED
    for index, line in enumerate(_plain(lines[number]) for number in paragraph):
        if _is_heading(line) or _has(line, cues):
            return index
    return 0


def _is_sign_off(plain: str) -> bool:
    """ "Trân trọng,", "Best regards", "Sent from my iPhone": the end of what was written."""
    if plain.startswith((" sent from ", " gui tu ", " duoc gui tu ")):
        return True
    words = plain.split()
    return 0 < len(words) <= _SHORT_SIGN_OFF and any(
        plain.startswith(f" {sign_off} ") for sign_off in _SIGN_OFFS
    )


def _is_heading(plain: str) -> bool:
    words = plain.split()
    return 0 < len(words) <= _SHORT_HEADING and any(
        plain.startswith(f" {heading} ") for heading in _HEADINGS
    )


def _has(plain: str, phrases: tuple[str, ...]) -> bool:
    return any(phrase in plain for phrase in _phrases(phrases))


def _phrases(phrases: tuple[str, ...]) -> Iterator[str]:
    return (f" {phrase} " for phrase in phrases)


def _plain(line: str) -> str:
    """The line's syllables folded and space-separated, with a space at each end."""
    return " " + " ".join(_LETTERS.findall(quick_fold(line))) + " "
