"""Reading one attachment in a child process (archive.budget.run_limited) with limits on
time, memory and output, so a zip bomb, a PDF of a million objects or a parser's endless loop
costs the worker a few seconds, never its life."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from archive.budget import MIB, Limits, OverBudget, run_limited
from archive.extract.formats import EXTRACTORS, MAX_CHARS, Pages

PAGE_BREAK = "\f"  # stored between pages (or sheets), so a match tells its page
IN_PROCESS = ("text", "html")  # what the mail path itself reads in process, as bounded
MAX_PDF_OBJECTS = 200_000  # a 500-page report has some 10,000; counted before parsing


@dataclass(frozen=True, slots=True)
class ExtractLimits:
    """What reading one attachment may use (the child's limits) and the largest file read."""

    confined: Limits = field(
        default_factory=lambda: Limits(seconds=30.0, memory_bytes=768 * MIB, output_bytes=8 * MIB)
    )
    max_bytes: int = 40 * MIB


_BY_SUFFIX = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".odt": "odf",
    ".ods": "odf",
    ".txt": "text",
    ".csv": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
}
_BY_TYPE = (
    ("application/pdf", "pdf"),
    ("text/html", "html"),
    ("text/", "text"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml", "docx"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml", "xlsx"),
    ("application/vnd.oasis.opendocument.text", "odf"),
    ("application/vnd.oasis.opendocument.spreadsheet", "odf"),
)


def kind_of(filename: str, content_type: str) -> str | None:
    """Which extractor reads this attachment, by name then type; None: no text to take."""
    name, ctype = filename.lower(), content_type.lower()
    for suffix, kind in _BY_SUFFIX.items():
        if name.endswith(suffix):
            return kind
    return next((kind for prefix, kind in _BY_TYPE if ctype.startswith(prefix)), None)


def extract_pages(kind: str, data: bytes, limits: ExtractLimits | None = None) -> Pages:
    """The text of each page, read in a child process. Raises OverBudget (too big, too slow,
    too greedy) or ValueError (not readable: encrypted, broken) with the reason."""
    limits = limits or ExtractLimits()
    if len(data) > limits.max_bytes:
        raise OverBudget(f"larger than {limits.max_bytes // MIB} MiB")
    if kind == "pdf" and data.count(b" obj") > MAX_PDF_OBJECTS:
        raise OverBudget(f"more than {MAX_PDF_OBJECTS:,} PDF objects")
    if kind in IN_PROCESS:  # bounded, linear readers: not worth a process of their own
        return EXTRACTORS[kind](data)
    payload = kind.encode() + b"\n" + data
    result = run_limited(f"{__name__}:extract_bytes", payload, limits.confined)
    pages: Pages = json.loads(result)
    return pages


def extract_bytes(payload: bytes) -> bytes:
    """The child's side: `kind\\n` and the file's bytes in, a JSON list of pages out."""
    kind, _, data = payload.partition(b"\n")
    extractor = EXTRACTORS.get(kind.decode())
    if extractor is None:
        raise ValueError(f"no extractor for {kind.decode()!r}")
    pages = extractor(data)
    return json.dumps([page[:MAX_CHARS] for page in pages], ensure_ascii=False).encode()
