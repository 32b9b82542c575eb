"""Turn one raw message into a ParsedMessage; any bytes at all give a value, never an error."""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message

from archive import boundaries, mime_parser
from archive.charsets import decode_bytes, legacy_note, nfc
from archive.dates import DateSource, choose_date
from archive.headers import (
    decode_header,
    message_id_hash,
    own_message_id,
    parse_from,
    references,
    reply_target,
    unixfrom_date,
)
from archive.legacy_vietnamese import to_unicode
from archive.mime_parser import parse_bytes
from archive.parsed import ParsedAttachment, ParsedMessage
from archive.sanitize import HtmlOverBudget, html_to_text, sanitize_html

# The standard library's parser with compat32, not policy.default: it is several times faster
# and does not crash on group syntax in address headers; this module walks the parts itself.
boundaries.install()
mime_parser.install()
_WANTED = frozenset(
    {"message-id", "in-reply-to", "references", "subject", "from", "date", "resent-date"}
)
# Headers any real message has at least one of; without them the bytes are not mail.
_MAIL_HEADERS = _WANTED | {"to", "cc", "sender", "received", "mime-version", "content-type"}
_BOM = b"\xef\xbb\xbf"
_BLANK_LINE = re.compile(rb"\n\r?\n")
MESSAGE_ID_MAX = 998
FILENAME_MAX = 200
_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_CHARSET_PARAM = re.compile(r';\s*charset\s*=\s*"?([^";\s]*)', re.IGNORECASE)
_CONTENT_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")


@dataclass(slots=True)
class _Alternative:
    """One multipart/alternative: its text/plain wins, the other versions are not text."""

    has_plain: bool
    took_plain: bool = False


@dataclass(slots=True)
class _Body:
    plain: list[str] = field(default_factory=list)
    html_only: list[str] = field(default_factory=list)  # HTML parts with no text/plain twin
    html_twins: list[str] = field(default_factory=list)  # HTML versions of a text/plain part
    attachments: list[ParsedAttachment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def parse_message(raw: bytes, mbox_date: datetime | None = None) -> ParsedMessage:
    """Parse `raw`; unreadable input gives a flagged message with the error in its defects.
    `mbox_date`, the date of the mbox `From ` line it came under, is a date of last resort."""
    try:
        return _parse(raw, mbox_date)
    except Exception as error:  # the promise of this function: bytes in, a value out
        return _unparseable(raw, error)


def _header_block(source: bytes) -> bytes:
    """The bytes up to the first blank line: the parser reads the same headers from them
    (it may stop earlier, at a line that is not a header) without copying the body."""
    found = _BLANK_LINE.search(source)
    return source if found is None else source[: found.end()]


def date_of(raw: bytes) -> tuple[datetime | None, DateSource, str | None]:
    """The date parse_message() gives `raw` without an mbox line, from its headers alone."""
    try:
        msg = parse_bytes(_header_block(raw.removeprefix(_BOM)), headersonly=True)
        headers = _first_headers(msg)
        received = [str(value) for value in msg.get_all("received", [])]
        return choose_date(headers.get("date"), headers.get("resent-date"), received)
    except Exception:  # same promise as parse_message
        return None, DateSource.ARRIVAL, None


def synthetic_message_id(raw: bytes) -> str:
    """A stable id for mail without one: the same bytes always get the same id."""
    return f"{hashlib.sha256(raw).hexdigest()[:32]}@synthetic.invalid"


def _parse(raw: bytes, mbox_date: datetime | None) -> ParsedMessage:
    notes: list[str] = []
    source = raw.removeprefix(_BOM)  # files saved by Windows editors
    try:
        msg = parse_bytes(source)
    except RecursionError:
        msg = parse_bytes(source, headersonly=True)
        notes.append("MIME parts nested too deeply; the body is kept as raw text")
    headers = _first_headers(msg)
    body = _walk(msg)
    charset = _charset(msg)
    subject, subject_note = decode_header(headers.get("subject", ""), charset)
    from_name, from_email = parse_from(headers.get("from"), charset)
    own_id, synthetic = _own_id(headers.get("message-id"), raw, notes)
    date, date_source, date_note = choose_date(
        headers.get("date"),
        headers.get("resent-date"),
        [str(value) for value in msg.get_all("received", [])],
        mbox_date or unixfrom_date(msg.get_unixfrom()),
    )
    html, html_note = _safe_html(body)
    return ParsedMessage(
        message_id=own_id,
        message_id_hash=message_id_hash(own_id),
        synthetic_id=synthetic,
        in_reply_to=reply_target(headers.get("in-reply-to"), own_id),
        references=references(headers.get("references"), own_id),
        subject=subject,
        from_name=from_name,
        from_email=from_email,
        date=date,
        date_source=date_source,
        text=_text(body),
        html=html,
        attachments=tuple(body.attachments),
        defects=_unique([*notes, subject_note, date_note, *body.notes, html_note]),
        flagged=not any(name.lower() in _MAIL_HEADERS for name in msg),
    )


def _first_headers(msg: Message) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in msg.raw_items():
        key = name.lower()
        if key in _WANTED and key not in found:
            found[key] = str(value)
    return found


def _own_id(value: str | None, raw: bytes, notes: list[str]) -> tuple[str, bool]:
    found = own_message_id(value)
    if found and len(found) <= MESSAGE_ID_MAX:
        return found, False
    notes.append("no usable Message-ID; a synthetic one was made from the message's bytes")
    return synthetic_message_id(raw), True


def _walk(msg: Message) -> _Body:
    """Depth-first over the MIME tree with an explicit stack: user data sets the depth."""
    body = _Body()
    stack: list[tuple[Message, _Alternative | None]] = [(msg, None)]
    while stack:
        part, group = stack.pop()
        body.notes.extend(_defect_notes(part))
        content_type = part.get_content_type()
        if part.is_multipart() and content_type.startswith("message/"):
            body.attachments.append(_embedded(part, content_type, len(body.attachments) + 1))
        elif part.is_multipart():
            children = [child for child in part.get_payload() if isinstance(child, Message)]
            if content_type == "multipart/alternative":
                group = _Alternative(any(_is_plain_body(child) for child in children))
            stack.extend((child, group) for child in reversed(children))
        else:
            _leaf(part, content_type, group, body)
    return body


def _leaf(part: Message, content_type: str, group: _Alternative | None, body: _Body) -> None:
    if content_type.startswith("multipart/"):
        # A multipart without parts: show what is there, unless it is binary.
        content_type = "application/octet-stream" if b"\x00" in _payload(part) else "text/plain"
    name = _filename(part)
    if content_type not in ("text/plain", "text/html") or name or _is_attachment(part):
        body.attachments.append(_attachment(part, content_type, name, len(body.attachments) + 1))
        return
    text, note = decode_bytes(_payload(part), _charset(part))
    if note:
        body.notes.append(note)
    if content_type == "text/html":
        if group is None or not group.has_plain:
            body.html_only.append(text)
        else:
            body.html_twins.append(text)
    elif group is None or not group.took_plain:
        body.plain.append(text)
        if group is not None:
            group.took_plain = True


def _is_attachment(part: Message) -> bool:
    return part.get_content_disposition() == "attachment"


def _is_plain_body(part: Message) -> bool:
    return (
        not part.is_multipart()
        and part.get_content_type() == "text/plain"
        and not _is_attachment(part)
        and not _filename(part)
    )


def _filename(part: Message) -> str:
    """The decoded filename; get_param is slow, so only asked when a header could hold one."""
    headers = f"{part.get('content-disposition', '')}{part.get('content-type', '')}"
    if "name" not in headers.lower():
        return ""
    name = part.get_filename()
    return decode_header(name)[0] if name else ""


def _charset(part: Message) -> str | None:
    """The declared charset; a plain `charset=x` is read directly, as get_param is slow."""
    content_type = str(part.get("content-type", ""))
    found = _CHARSET_PARAM.search(content_type)
    if found:
        return found.group(1).lower() or None
    return part.get_content_charset() if "charset" in content_type.lower() else None


def _payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _attachment(part: Message, content_type: str, name: str, index: int) -> ParsedAttachment:
    data = _payload(part)
    if not name and content_type == "message/rfc822":
        name = f"forwarded-message-{index}.eml"
    return _attached(safe_filename(name, content_type, index), content_type, data)


def _embedded(part: Message, content_type: str, index: int) -> ParsedAttachment:
    """A forwarded message (or a delivery report) is kept whole, as its own raw bytes."""
    try:
        data = b"\n".join(
            child.as_bytes() for child in part.get_payload() if isinstance(child, Message)
        )
    except RecursionError:
        data = b""
    name = _filename(part)
    if not name:
        stem = "forwarded-message" if content_type == "message/rfc822" else "report"
        name = f"{stem}-{index}{'.eml' if content_type == 'message/rfc822' else '.txt'}"
    return _attached(safe_filename(name, content_type, index), content_type, data)


def _attached(name: str, content_type: str, data: bytes) -> ParsedAttachment:
    if not _CONTENT_TYPE.fullmatch(content_type):
        content_type = "application/octet-stream"
    return ParsedAttachment(name, content_type, len(data), hashlib.sha256(data).hexdigest(), data)


def safe_filename(name: str | None, content_type: str, index: int) -> str:
    """A name safe to offer for download: no folders, no control or direction characters."""
    name = nfc((name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE_IN_NAME.sub("", name).strip().strip(".").strip()
    if not name:
        extension = mimetypes.guess_extension(content_type, strict=False) or ".bin"
        return f"attachment-{index}{extension}"
    if len(name) > FILENAME_MAX:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            return f"{stem[: FILENAME_MAX - len(extension) - 1]}.{extension}"
        return name[:FILENAME_MAX]
    return name


def _html_content(body: _Body) -> list[str]:
    """HTML that carries the message: parts without a text twin, or twins of empty text."""
    if body.html_only or any(part.strip() for part in body.plain):
        return body.html_only
    return body.html_twins


HTML_OVER_BUDGET = "HTML over budget"  # how the defect starts, for whoever counts them


def _safe_html(body: _Body) -> tuple[str | None, str | None]:
    """Sanitising is the slowest step of parsing, so HTML is kept only where it is the
    message's own content (an HTML twin of a text part is redundant). HTML over budget is
    left out, so the message shows as its text, and a defect says why."""
    content = _html_content(body)
    if not content:
        return None, None
    try:
        return sanitize_html(content[0]), None
    except HtmlOverBudget as error:
        return None, f"{HTML_OVER_BUDGET}: {error.reason}; shown as text"


def _text(body: _Body) -> str:
    plain = [part for part in body.plain if part.strip()]
    parts = plain or [_html_text(html, body.notes) for html in _html_content(body)]
    text = "\n\n".join(part.replace("\r\n", "\n").replace("\r", "\n") for part in parts)
    return text.strip("\n").rstrip()


def _html_text(html: str, notes: list[str]) -> str:
    """HTML may carry TCVN3 or VNI as entities (`B&cedil;o`): only its text shows them."""
    converted = to_unicode(html_to_text(html))
    if converted.encoding is not None:
        notes.append(legacy_note(converted.encoding))
    return converted.text


def _defect_notes(part: Message) -> list[str]:
    notes = []
    for defect in part.defects:
        doc = (type(defect).__doc__ or type(defect).__name__).strip().splitlines()[0]
        detail = " ".join(str(defect).split())[:80].encode("utf-8", "replace").decode("utf-8")
        notes.append(f"{doc} ({detail})" if detail else doc)
    return notes


def _unparseable(raw: bytes, error: Exception) -> ParsedMessage:
    message_id = synthetic_message_id(raw)
    return ParsedMessage(
        message_id=message_id,
        message_id_hash=message_id_hash(message_id),
        synthetic_id=True,
        in_reply_to=None,
        references=(),
        subject="",
        from_name="",
        from_email="",
        date=None,
        date_source=DateSource.ARRIVAL,
        text="",
        html=None,
        attachments=(),
        defects=(f"could not be parsed as mail: {type(error).__name__}: {error}"[:500],),
        flagged=True,
    )


def _unique(notes: list[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(note for note in notes if note))
