"""Hold rules: pure functions from what we know about a post to the reasons to hold it.

Evaluated in order; each adds a reason. The caller decides what a reason leads to (hold, or
reject/discard for non-members when the list says so).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from archive.folding import fold

NONMEMBER = "the sender is not a member"


@dataclass(frozen=True, slots=True)
class Policy:
    posting: str = "members"  # open / members / announce
    moderate_first_posts: int = 0
    max_message_kb: int = 10240
    blocked_extensions: tuple[str, ...] = (
        ".exe",
        ".bat",
        ".cmd",
        ".com",
        ".scr",
        ".pif",
        ".vbs",
        ".js",
        ".jar",
        ".msi",
    )
    max_recipients: int = 10
    hold_confidential: bool = True
    require_explicit_destination: bool = True
    hold_administrivia: bool = True


@dataclass(frozen=True, slots=True)
class Post:
    sender: str
    is_member: bool
    is_moderator: bool  # moderators, owners and accepted senders
    previous_posts: int
    size: int
    subject: str
    text: str
    attachment_names: Sequence[str] = ()
    to_and_cc: Sequence[str] = ()
    list_addresses: Sequence[str] = field(default_factory=tuple)  # the list's own, lowercased


def hold_reasons(post: Post, policy: Policy) -> list[str]:
    reasons: list[str] = []
    if policy.posting == "announce" and not post.is_moderator:
        reasons.append("announce-only list: the sender may not post")
    elif policy.posting == "members" and not (post.is_member or post.is_moderator):
        reasons.append(NONMEMBER)
    if (
        post.is_member
        and not post.is_moderator
        and post.previous_posts < policy.moderate_first_posts
    ):
        reasons.append(
            f"new member: post {post.previous_posts + 1} of the first {policy.moderate_first_posts}"
        )
    if policy.max_message_kb and post.size > policy.max_message_kb * 1024:
        reasons.append(f"message larger than {policy.max_message_kb} KB")
    blocked = [
        n for n in post.attachment_names if n.lower().endswith(tuple(policy.blocked_extensions))
    ]
    if blocked:
        reasons.append("attachment type not allowed: " + ", ".join(blocked))
    marked = policy.hold_confidential and confidentiality_mark(
        post.subject, post.text, post.attachment_names
    )
    if marked:
        reasons.append(f"confidentiality mark: {marked}")
    if policy.max_recipients and len(post.to_and_cc) > policy.max_recipients:
        reasons.append(f"too many recipients ({len(post.to_and_cc)})")
    listed = {a.lower() for a in post.to_and_cc}
    if policy.require_explicit_destination and not set(post.list_addresses) & listed:
        reasons.append("implicit destination: the list is not in To or Cc")
    if policy.hold_administrivia and administrivia(post.subject, post.text):
        reasons.append("looks like a subscribe or unsubscribe request sent to the list")
    return reasons


# Two-word marks: TUYỆT MẬT, TỐI MẬT in any case and spacing; without accents only where that
# cannot be everyday words ("tôi mất" = "I lost" folds to "toi mat").
_STRONG_ACCENTED = re.compile(r"\b(tuyệt|tối)[\s_.\-]*mật\b", re.IGNORECASE)
_STRONG_PLAIN = re.compile(r"\b(TUYET|TOI)[\s_.\-]*MAT\b|\btuyet[\s_.\-]*mat\b", re.IGNORECASE)
_LOWER_TOI_MAT = re.compile(r"\btoi[\s_.\-]*mat\b")
_CONFIDENTIAL = re.compile(r"\bconfidential\b", re.IGNORECASE)
# "mật" alone is a mark unless it is part of an ordinary compound (mật khẩu = password, ...).
_MAT = re.compile(r"(?<![\w])(bí\s+)?mật(?![\w])(\s+(\w+))?", re.IGNORECASE)
_ORDINARY_AFTER = frozenset(
    {
        "khẩu",
        "ong",
        "độ",
        "thiết",
        "mã",
        "ngữ",
        "thám",
        "vụ",
        "báo",
        "danh",
        "thư",
        "ước",
        "đàm",
        "lệnh",
        "hiệu",
    }
)
# Without accents only the capitalised stamp counts: "MAT", "[MAT]", "M A T" (mất/mặt/mát are
# everyday words once the accents are gone, and "format" or "Matlab" merely contain the letters).
_MAT_STAMP = re.compile(r"(?<![\w])M\s?[AẬ]\s?T(?![\w])")
_BRACKETED_STAMP = re.compile(r"[\[(]\s*M\s?[AẬ]\s?T\s*[\])]")
_STAMP_LINE = re.compile(r"^\W*(đ[ộo]\s*m[ậa]t\s*[:：]\s*)?\W*$", re.IGNORECASE)


def confidentiality_mark(subject: str, text: str, names: Sequence[str] = ()) -> str | None:
    """The confidentiality mark carried by a subject, body or attachment name, if any."""
    for source in (subject, *names, text[:20000]):
        found = _mark_in(unicodedata.normalize("NFC", source))
        if found:
            return found
    return None


def _mark_in(text: str) -> str | None:
    strong = _STRONG_ACCENTED.search(text) or _plain_strong(text)
    if strong:
        return fold(strong.group(0)).upper()
    if _CONFIDENTIAL.search(text):
        return "CONFIDENTIAL"
    for match in _MAT.finditer(text):
        follower = (match.group(3) or "").lower()
        if match.group(1) or follower in _ORDINARY_AFTER:
            continue  # bí mật (a secret), mật khẩu, mật ong, mật độ ...
        return "MẬT"
    if _BRACKETED_STAMP.search(text):
        return "MẬT"
    for line in text.splitlines():
        stamp = _MAT_STAMP.search(line)
        if stamp and _STAMP_LINE.match(line[: stamp.start()] + line[stamp.end() :]):
            return "MẬT"
    return None


def _plain_strong(text: str) -> re.Match[str] | None:
    for match in _STRONG_PLAIN.finditer(text):
        if not _LOWER_TOI_MAT.fullmatch(match.group(0)):  # "toi mat" in lower case: tôi mất
            return match
    return None


_ADMIN_WORDS = re.compile(
    r"^\s*(subscribe|unsubscribe|dang ky|huy dang ky|roi nhom|remove me|xin roi nhom)\b"
)


def administrivia(subject: str, text: str) -> bool:
    """A short message whose subject or first line is a membership command."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    short = len(text) < 500
    return short and any(_ADMIN_WORDS.match(fold(part)) for part in (subject, first_line))
