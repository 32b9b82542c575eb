"""Why an attachment's text was not read, in the reader's language. The reasons are stored as
the readers wrote them (English, with their figures); the known ones are shown translated,
any other as stored."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext as _

Shown = Callable[[re.Match[str]], str]

_KNOWN: list[tuple[re.Pattern[str], Shown]] = [
    (re.compile(r"encrypted PDF"), lambda m: _("the PDF is protected by a password")),
    (re.compile(r"unreadable PDF.*"), lambda m: _("the PDF is damaged")),
    (
        re.compile(r"not (?:a DOCX document|an XLSX workbook|an OpenDocument file).*"),
        lambda m: _("the file is damaged or not what its name says"),
    ),
    (
        re.compile(r"took longer than ([\d.]+) s"),
        lambda m: _("reading it took longer than %(n)s s", n=m.group(1)),
    ),
    (
        re.compile(r"needs more than (\d+) MiB or too much time"),
        lambda m: _("reading it needs more than %(n)s MiB or too much time", n=m.group(1)),
    ),
    (
        re.compile(r"larger than (\d+) MiB once unpacked"),
        lambda m: _("larger than %(n)s MiB once unpacked", n=m.group(1)),
    ),
    (re.compile(r"larger than (\d+) MiB"), lambda m: _("larger than %(n)s MiB", n=m.group(1))),
    (re.compile(r"more than ([\d,]+) parts"), lambda m: _("more than %(n)s parts", n=m.group(1))),
    (
        re.compile(r"more than ([\d,]+) PDF objects"),
        lambda m: _("more than %(n)s PDF objects", n=m.group(1)),
    ),
    (re.compile(r"too many XML elements.*"), lambda m: _("too many paragraphs, runs or cells")),
    (
        re.compile(r"OCR took longer than ([\d.]+) s a page"),
        lambda m: _("OCR took longer than %(n)s s a page", n=m.group(1)),
    ),
    (
        re.compile(r"a scanned page is too large to read"),
        lambda m: _("a scanned page is too large"),
    ),
    (re.compile(r"tesseract .*"), lambda m: _("OCR could not run")),
    (re.compile(r"stopped with the worker"), lambda m: _("stopped with the worker")),
    (re.compile(r"stopped its reader too often"), lambda m: _("it stopped its reader too often")),
    (re.compile(r"reader failed: .*"), lambda m: _("the reader failed")),
]


def extraction_reason(stored: str) -> str:
    """The stored reason in the reader's language (`scan: ` before it: read by OCR)."""
    if stored.startswith("scan: "):
        inner = extraction_reason(stored.removeprefix("scan: "))
        return str(_("scan: %(reason)s", reason=inner))
    for pattern, shown in _KNOWN:
        if found := pattern.fullmatch(stored):
            return shown(found)
    return stored
