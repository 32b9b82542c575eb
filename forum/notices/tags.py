"""Notice tags in a subject: `[Cần phúc đáp 2026-12-05]`, `[Giấy mời ...]`, `[Báo cáo ...]`,
`[Action required by 05/12/2026]`. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from archive.folding import fold

_TAG = re.compile(r"\[([^\]]{3,80})\]")
_KINDS = (
    ("can phuc dap", "reply"),
    ("yeu cau phuc dap", "reply"),
    ("giay moi", "invitation"),
    ("giay trieu tap", "invitation"),
    ("bao cao", "report"),
    ("action required", "action"),
)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


@dataclass(frozen=True, slots=True)
class NoticeTag:
    kind: str
    deadline: date | None


def parse_notice_tag(subject: str) -> NoticeTag | None:
    """The first notice tag in a subject, with its deadline when one is written."""
    for match in _TAG.finditer(subject):
        inner = fold(match.group(1)).strip()
        for prefix, kind in _KINDS:
            if inner.startswith(prefix):
                return NoticeTag(kind, _date_in(inner[len(prefix) :]))
    return None


def _date_in(text: str) -> date | None:
    found = _ISO.search(text)
    if found:
        year, month, day = (int(g) for g in found.groups())
    else:
        found = _DMY.search(text)
        if not found:
            return None
        day, month, year = (int(g) for g in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


_ACK = re.compile(r"^\W*(da nhan|received|ack|acknowledged|xac nhan da nhan)\b[\w\s.,!]{0,60}$")


def is_acknowledgement_only(new_text: str) -> bool:
    """A reply whose own words are just "đã nhận" / "received" (not a real answer)."""
    words = " ".join(fold(new_text).split())
    return bool(words) and len(words) <= 80 and bool(_ACK.match(words))


def mentions_acknowledgement(new_text: str) -> bool:
    words = " ".join(fold(new_text).split())
    return any(phrase in words for phrase in ("da nhan", "received", "acknowledge")) or bool(
        re.search(r"\back\b", words)
    )


WEB_FORM_TAGS = {"reply": "Cần phúc đáp", "invitation": "Giấy mời", "report": "Báo cáo"}


def with_notice_tag(subject: str, kind: str, deadline: str) -> str:
    """The web form's notice choice becomes the same subject tag mail senders write."""
    if kind not in WEB_FORM_TAGS or parse_notice_tag(subject) is not None:
        return subject
    day = deadline if re.fullmatch(r"\d{4}-\d{2}-\d{2}", deadline) else ""
    return f"[{WEB_FORM_TAGS[kind]}{' ' + day if day else ''}] {subject}"
