"""The consolidated comment report on a draft (bảng tổng hợp ý kiến góp ý): its rows, summary
and cells, and the report as CSV (`report_docx` makes the Word document from the same cells).

Pure functions over plain rows; the caller loads them and sorts them by provision.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

# Vietnamese words for `ReportRow.response_kind`, in the order the summary lists them.
RESPONSE_LABELS: Mapping[str, str] = {
    "accepted": "Tiếp thu",
    "partly": "Tiếp thu một phần",
    "explained": "Giải trình",
    "": "Chưa trả lời",
}
HEADERS = (
    "STT",
    "Điều khoản",
    "Người góp ý",
    "Đơn vị",
    "Ngày",
    "Nội dung góp ý",
    "Ý kiến tiếp thu, giải trình",
)
TITLE = "BẢNG TỔNG HỢP Ý KIẾN GÓP Ý"
LATE_MARK = "(gửi sau hạn)"
NO_COMMENTS = "Chưa có ý kiến góp ý nào."
# Vietnam has kept UTC+7 without daylight saving since 1975: a fixed offset needs no tzdata.
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")

# Characters XML 1.0 cannot hold (python-docx refuses them); lone surrogates come from
# undecodable mail bytes.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BLANK_RUN = re.compile(r"\n{3,}")
# A spreadsheet evaluates a cell that starts with one of these (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One comment as the report shows it."""

    number: int  # STT, 1-based, in report order
    provision: str  # "Điều 5, khoản 2" or "Góp ý chung"
    anchor: str | None  # "dieu-5-khoan-2"; None for a general comment
    commenter: str
    unit: str  # school or office
    date: datetime  # aware; shown in the site's time zone (Vietnam time by default)
    comment: str
    response_kind: str  # a key of RESPONSE_LABELS
    response: str
    late: bool = False  # arrived after the deadline

    def __post_init__(self) -> None:
        if self.response_kind not in RESPONSE_LABELS:
            raise ValueError(f"unknown response kind {self.response_kind!r}")


@dataclass(frozen=True, slots=True)
class ReportHeader:
    draft_title: str
    issuing_unit: str
    deadline: datetime | None
    generated_at: datetime


@dataclass(frozen=True, slots=True)
class Summary:
    comments: int
    commenters: int  # distinct (name, unit): two schools may each have a Nguyễn Văn An
    units: int  # distinct non-empty units
    by_response: dict[str, int]  # every key of RESPONSE_LABELS, in its order, zeros included
    late: int = 0


def summarise(rows: Sequence[ReportRow]) -> Summary:
    """Counts for the report's opening lines; names compare case- and spacing-insensitively."""
    by_response = dict.fromkeys(RESPONSE_LABELS, 0)
    for row in rows:
        by_response[row.response_kind] += 1
    return Summary(
        comments=len(rows),
        commenters=len({(_fold(row.commenter), _fold(row.unit)) for row in rows}),
        units=len({_fold(row.unit) for row in rows} - {""}),
        by_response=by_response,
        late=sum(row.late for row in rows),
    )


def report_csv(rows: Sequence[ReportRow], zone: tzinfo = VIETNAM_TIME) -> str:
    """The table as CSV text: a BOM first (Excel then reads UTF-8), CRLF rows, defused formulas.

    Encode the result as "utf-8" (not "utf-8-sig", which would add a second BOM).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_defuse(text) for text in cell_texts(row, zone)])
    return "\ufeff" + out.getvalue()


def cell_texts(row: ReportRow, zone: tzinfo) -> tuple[str, ...]:
    """The seven cells of a row, lines separated by "\n", shared by both formats."""
    date = when(row.date, zone) + (f"\n{LATE_MARK}" if row.late else "")
    label = RESPONSE_LABELS[row.response_kind]
    response = clean(row.response)
    return (
        str(row.number),
        clean(row.provision),
        clean(row.commenter),
        clean(row.unit),
        date,
        clean(row.comment),
        f"{label}\n{response}" if response else label,
    )


def clean(text: str) -> str:
    """NFC text with "\n" line ends, no XML-forbidden characters, at most one blank line."""
    text = _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (line.rstrip() for line in unicodedata.normalize("NFC", text).split("\n"))
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def when(moment: datetime, zone: tzinfo) -> str:
    if moment.utcoffset() is None:
        raise ValueError(f"report dates must be timezone-aware, got {moment!r}")
    return moment.astimezone(zone).strftime("%d/%m/%Y %H:%M")


def _defuse(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text
