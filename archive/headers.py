"""Read header values: RFC 2047 words, raw 8-bit bytes, Message-IDs, addresses and dates."""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import re
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr, parsedate_tz
from functools import lru_cache

from archive.charsets import decode_bytes, nfc

with warnings.catch_warnings():
    # flanker imports the stdlib imghdr and cgi modules, deprecated since Python 3.11.
    warnings.filterwarnings("ignore", r"'(imghdr|cgi)' is deprecated", DeprecationWarning)
    from flanker.addresslib import address

# flanker logs a warning for every address it cannot lex (its lexer's logger has a level of
# its own); a bad address is ordinary in mail.
for _name in ("flanker", "flanker.addresslib._parser.lexer"):
    logging.getLogger(_name).setLevel(logging.ERROR)

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([qQbB])\?([^?]*)\?=")
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]")
_BRACKETED_ID = re.compile(r"<([^<>]*)(?:>|$)")
_ASCTIME = re.compile(r"[A-Z][a-z]{2} +[A-Z][a-z]{2} +\d{1,2} +\d{1,2}:\d\d(?::\d\d)? +\d{4}")
_OBFUSCATED_AT = re.compile(r"(\S+) at (\S+)")
_CONTROLS = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)])
_MONTHS = {
    "januar": "Jan",
    "februar": "Feb",
    "märz": "Mar",
    "maerz": "Mar",
    "mai": "May",
    "juni": "Jun",
    "juli": "Jul",
    "oktober": "Oct",
    "dezember": "Dec",
}
_MONTH_WORD = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b", re.IGNORECASE)
# Mail older than this is a broken clock (a Y2K "0102", a 1979 CMOS battery), not history.
EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)
# A References header can be made arbitrarily long; the root and the recent tail suffice.
MAX_REFERENCES = 100

Piece = tuple[str | None, bytes]  # (charset of an encoded word, or None for plain text, bytes)


def decode_header(value: str, fallback_charset: str | None = None) -> tuple[str, str | None]:
    """Decoded, NFC, whitespace-collapsed header text, and a note when something was wrong.

    `value` is what compat32 stores: raw 8-bit bytes arrive as surrogate escapes and are
    decoded as UTF-8 when they are, else as `fallback_charset` (usually the body's), else a
    guess.
    """
    if value.isascii() and "=?" not in value:
        return clean_text(value), None
    notes: list[str] = []
    parts = [_decode_piece(piece, fallback_charset, notes) for piece in _merged(value)]
    return clean_text("".join(parts)), "; ".join(notes) or None


def clean_text(text: str) -> str:
    """One line of NFC text: runs of whitespace become one space, control characters go."""
    text = " ".join(text.split())
    if not text.isprintable():
        text = text.translate(_CONTROLS)
    return nfc(text)


def _merged(value: str) -> Iterator[Piece]:
    """Adjacent encoded words in one charset are joined first: senders split characters."""
    run_charset: str | None = None
    run: list[bytes] = []
    for charset, data in _pieces(value):
        if charset is not None and charset == run_charset:
            run.append(data)
            continue
        if run_charset is not None:
            yield run_charset, b"".join(run)
        run_charset, run = charset, [data]
        if charset is None:
            yield None, data
    if run_charset is not None:
        yield run_charset, b"".join(run)


def _pieces(value: str) -> Iterator[Piece]:
    position = 0
    previous_was_word = False
    for match in _ENCODED_WORD.finditer(value):
        literal = value[position : match.start()]
        if literal and not (previous_was_word and literal.isspace()):
            yield None, literal.encode("utf-8", "surrogateescape")
        position = match.end()
        data = _word_bytes(match.group(2), match.group(3))
        if data is None:
            yield None, match.group(0).encode("utf-8", "surrogateescape")
            previous_was_word = False
            continue
        yield match.group(1).split("*", 1)[0].lower(), data
        previous_was_word = True
    if position < len(value):
        yield None, value[position:].encode("utf-8", "surrogateescape")


def _word_bytes(encoding: str, text: str) -> bytes | None:
    if encoding in "qQ":
        return binascii.a2b_qp(text.encode("ascii", "replace"), header=True)
    letters = _NOT_BASE64.sub("", text)
    if len(letters) % 4 == 1:
        letters = letters[:-1]  # a lone trailing sextet cannot be a byte
    try:
        return binascii.a2b_base64(letters + "=" * (-len(letters) % 4))
    except binascii.Error:
        return None


def _decode_piece(piece: Piece, fallback: str | None, notes: list[str]) -> str:
    charset, data = piece
    if charset is None:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            charset = fallback
    text, note = decode_bytes(data, charset)
    if note:
        notes.append(note)
    return text


def message_ids(value: str | None) -> list[str]:
    """The Message-IDs in a header, brackets stripped, in order; junk between them ignored."""
    if not value:
        return []
    if "<" in value:
        found = ["".join(token.split()) for token in _BRACKETED_ID.findall(value)]
    else:
        tokens = value.replace(",", " ").split()
        # Bare ids stand alone; in "ariel@yon (Ariel) ..." the address is a person's.
        found = [t.strip("\"'") for t in tokens] if all("@" in t for t in tokens) else []
    return [_plain_id(token) for token in found if token]


def reply_target(value: str | None, own_id: str) -> str | None:
    """The In-Reply-To id: the last bracketed one, since old clients wrote
    `Message from Name <person@host> of DATE <id@host>`."""
    found = [i for i in message_ids(value) if i != own_id]
    return found[-1] if found else None


def own_message_id(value: str | None) -> str | None:
    """The message's own id: the first bracketed token, or the bare value without brackets."""
    found = message_ids(value)
    if found:
        return found[0]
    bare = "".join((value or "").split()).strip("<>")
    return _plain_id(bare) if bare else None


def references(value: str | None, own_id: str) -> tuple[str, ...]:
    """References oldest first, each once, never the message itself."""
    unique = list(dict.fromkeys(message_ids(value)))
    if own_id in unique:
        unique.remove(own_id)
    if len(unique) > MAX_REFERENCES:
        unique = unique[:1] + unique[-(MAX_REFERENCES - 1) :]
    return tuple(unique)


def _plain_id(token: str) -> str:
    if token.isascii():
        return token
    text, _ = decode_bytes(token.encode("utf-8", "surrogateescape"), "utf-8")
    return "".join(text.split())


def message_id_hash(message_id: str) -> str:
    """HyperKitty's Message-ID-Hash: base32 of the SHA-1 of the id."""
    return base64.b32encode(hashlib.sha1(message_id.encode("utf-8")).digest()).decode("ascii")  # noqa: S324


@lru_cache(maxsize=4096)  # list mail comes from the same few people, and flanker is slow
def parse_from(value: str | None, fallback_charset: str | None = None) -> tuple[str, str]:
    """(display name, address with lowercased domain) of a From header; "" where unknown."""
    if not value:
        return "", ""
    text = value
    if not text.isascii():
        text, _ = decode_bytes(text.encode("utf-8", "surrogateescape"), fallback_charset)
    # (control characters go: linux-mips has `<\x03ps.santhosh@...>`, meaning the address
    # without it, which pages, feeds and from: should all see)
    text = clean_text(text)
    if "@" not in text and " at " in text:
        text = _OBFUSCATED_AT.sub(r"\1@\2", text, count=1)  # pipermail's "user at host"
    name, email = _name_and_address(text, fallback_charset)
    if "=?" in name:
        # Old clients put the whole address inside one encoded word
        # (`=?gb2312?q?=B3=C2_<x@y>?=`): decode it as a subject is, then read the address.
        name, email = _name_and_address(decode_header(text, fallback_charset)[0], None)
    return name, email


def _name_and_address(text: str, fallback_charset: str | None) -> tuple[str, str]:
    parsed = address.parse(text, strict=True)
    if isinstance(parsed, address.EmailAddress):
        name = parsed.display_name or lenient_parseaddr(text)[0]
        return decode_header(name, fallback_charset)[0], str(parsed.address)
    name, email = lenient_parseaddr(text)
    return decode_header(name, fallback_charset)[0], _lower_domain(email)


def lenient_parseaddr(text: str) -> tuple[str, str]:
    """The first address of a header as Python 3.11 reads it. Python 3.13 (and the security
    releases before it) return ("", "") for a header with several addresses or stray text
    unless told `strict=False`; mail as it is sent needs the first address still."""
    try:
        return parseaddr(text, strict=False)  # type: ignore[call-arg, unused-ignore]
    except TypeError:  # a Python without the switch reads it leniently already
        return parseaddr(text)


def _lower_domain(email: str) -> str:
    local, at, domain = email.rpartition("@")
    if not at or not local or not domain:
        return ""
    return f"{local}@{domain.lower()}"


def parse_date(value: str | None) -> tuple[datetime | None, str | None]:
    """An aware UTC datetime, or None with a note when the header is missing or nonsense."""
    if value is None or not value.strip():
        return None, None
    text = clean_text(value) if value.isascii() else decode_header(value)[0]
    fields = parsedate_tz(text) or parsedate_tz(_MONTH_WORD.sub(_english_month, text))
    if fields is None:
        return _iso_date(text)
    offset = fields[9] or 0
    note = None
    if abs(offset) >= 24 * 3600:
        offset, note = 0, f"bogus time zone in Date {text!r}; read as UTC"
    year, month, day, hour, minute, second = fields[:6]
    try:
        local = datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC)
    except ValueError:
        return None, f"impossible Date {text!r}"
    return _plausible(local - timedelta(seconds=offset), text, note)


def _english_month(match: re.Match[str]) -> str:
    return _MONTHS[match.group(1).lower()]


def _iso_date(text: str) -> tuple[datetime | None, str | None]:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None, f"unreadable Date {text!r}"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return _plausible(moment.astimezone(UTC), text, None)


def _plausible(moment: datetime, text: str, note: str | None) -> tuple[datetime | None, str | None]:
    if EARLIEST_DATE <= moment <= datetime.now(UTC) + FUTURE_SLACK:
        return moment, note
    return None, f"implausible Date {text!r}"


def unixfrom_date(unixfrom: str | None) -> datetime | None:
    """The asctime date of an mbox "From sender date" line (UTC), if it makes sense."""
    if not unixfrom:
        return None
    found = _ASCTIME.search(unixfrom)
    return parse_date(found.group(0))[0] if found else None
