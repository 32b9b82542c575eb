"""The copy list members receive: list headers, subject prefix, footer and DMARC From
rewriting, applied to the raw bytes so that every other byte stays as the author sent it."""

from __future__ import annotations

import base64
import binascii
import hashlib
import quopri
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses

from archive.headers import decode_header, parse_from

MAX_LINE = 78  # RFC 5322 section 2.1.1: lines SHOULD be no longer than 78 characters
_FIELD_NAME = re.compile(r"[!-9;-~]+")  # printable ASCII except ":"
_FIELD_START = re.compile(rb"[!-9;-~]+[ \t]*:")
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
_WORD_BYTES = 45  # base64 of 45 bytes is 60 characters: an encoded word of at most 75
_REPLACED = frozenset({"archived-at", "precedence", "x-loop", "x-mute-topic"})  # plus every List-*
_PLAIN_CHARSETS = frozenset({"us-ascii", "ascii", "utf-8", "utf8"})
_TRANSFER_ENCODINGS = frozenset({"7bit", "8bit", "binary", "quoted-printable", "base64"})


@dataclass(frozen=True, slots=True)
class ListIdentity:
    name: str  # "thpt"
    domain: str  # "moet.example"
    display_name: str  # "Trung học phổ thông"
    base_url: str  # "https://forum.example", without a trailing slash
    subject_prefix: str = ""  # "[THPT]"; "" for none
    footer: str = ""  # plain text; "" for none

    @property
    def address(self) -> str:
        return f"{self.name}@{self.domain}"

    @property
    def archive_url(self) -> str:
        return f"{self.base_url}/lists/{self.name}/"


@dataclass(slots=True)
class _Mail:
    """A message as its raw header fields (each with its folds and line end) and body."""

    eol: bytes
    fields: list[bytes]
    separator: bytes
    body: bytes

    def find(self, name: str) -> int | None:
        for position, field in enumerate(self.fields):
            if _name(field) == name:
                return position
        return None

    def set(self, name: str, value: str, *, ready: bool = False) -> None:
        """Replace the first `name` field in place, or add one at the end."""
        field = _field(name, value, self.eol, ready=ready)
        position = self.find(name.lower())
        if position is None:
            self.fields.append(field)
        else:
            self.fields[position] = field

    def drop(self, unwanted: Callable[[str], bool]) -> list[bytes]:
        dropped = [field for field in self.fields if unwanted(_name(field))]
        self.fields = [field for field in self.fields if not unwanted(_name(field))]
        return dropped

    def to_bytes(self) -> bytes:
        head = b"".join(f if f.endswith(b"\n") else f + self.eol for f in self.fields)
        return head + self.separator + self.body


def decorate(raw: bytes, lst: ListIdentity, *, archived_url: str | None, munge_from: bool) -> bytes:
    """The message as delivered to members. List-Unsubscribe is per recipient: see
    `with_headers`."""
    mail = _parse(raw)
    mail.drop(lambda name: name.startswith("list-") or name in _REPLACED)
    if lst.subject_prefix.strip():
        _prefix_subject(mail, " ".join(lst.subject_prefix.split()))
    if munge_from:
        _munge_from(mail, lst)
    for name, value, ready in _list_headers(lst, archived_url):
        mail.fields.append(_field(name, value, mail.eol, ready=ready))
    if lst.footer.strip():
        _add_footer(mail, lst.footer)
    return mail.to_bytes()


def with_footer(raw: bytes, footer: str) -> bytes:
    """`raw` with a footer line or block appended where mail clients show it (one recipient's
    own line, added at delivery to the decorated copy)."""
    mail = _parse(raw)
    _add_footer(mail, footer)
    return mail.to_bytes()


def with_headers(raw: bytes, headers: Sequence[tuple[str, str]]) -> bytes:
    """`raw` with header fields put in front, encoded and folded; ValueError on a line break
    in a name or value (header injection) or on a name that is not a field name."""
    eol = _eol(raw)
    return b"".join(_field(name, value, eol) for name, value in headers) + raw


def _parse(raw: bytes) -> _Mail:
    if raw.startswith(b"From ") and not _FIELD_START.match(raw):  # an mbox envelope line
        raw = raw.partition(b"\n")[2]
    fields: list[bytes] = []
    position = 0
    while position < len(raw):
        end = raw.find(b"\n", position)
        end = len(raw) if end < 0 else end + 1
        line = raw[position:end]
        if line.strip(b"\r\n") == b"":
            return _Mail(_eol(raw), fields, line, raw[end:])
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += line
        elif _FIELD_START.match(line):
            fields.append(line)
        else:
            break  # not a header field: the body starts here, as the stdlib parser reads it
        position = end
    return _Mail(_eol(raw), fields, _eol(raw), raw[position:])


def _eol(raw: bytes) -> bytes:
    end = raw.find(b"\n")
    return b"\r\n" if end > 0 and raw[end - 1 : end] == b"\r" else b"\n"


def _name(field: bytes) -> str:
    return field.partition(b":")[0].strip().decode("ascii", "replace").lower()


def _value(field: bytes) -> str:
    """The unfolded value, 8-bit bytes as surrogate escapes (what compat32 would give)."""
    value = field.partition(b":")[2].decode("ascii", "surrogateescape")
    return re.sub(r"\r?\n", "", value).strip()


def _field(name: str, value: str, eol: bytes, *, ready: bool = False) -> bytes:
    """One header field. `ready` values are ASCII with encoded words already in place."""
    if not _FIELD_NAME.fullmatch(name):
        raise ValueError(f"not a header field name: {name!r}")
    if "\r" in value or "\n" in value:
        raise ValueError(f"line break in the value of header {name}")
    text = value if ready else _encoded_text(value)
    return _folded(f"{name}:", text, eol.decode("ascii")).encode("ascii") + eol


def _encoded_text(text: str) -> str:
    """RFC 2047: ASCII words stay readable, each run of other words becomes encoded words."""
    out: list[str] = []
    run: list[str] = []
    for word in text.split(" "):
        if word.isascii() and not _ENCODED_WORD.search(word):
            if run:
                out.append(_encoded_words(" ".join(run)))
                run = []
            out.append(word)
        else:
            run.append(word)
    if run:
        out.append(_encoded_words(" ".join(run)))
    return " ".join(out)


def _encoded_words(text: str) -> str:
    chunks = [b""]
    for char in text:
        data = char.encode("utf-8")
        if len(chunks[-1]) + len(data) > _WORD_BYTES:
            chunks.append(b"")
        chunks[-1] += data
    return " ".join(f"=?utf-8?b?{base64.b64encode(c).decode('ascii')}?=" for c in chunks)


def _folded(head: str, value: str, eol: str) -> str:
    """Fold at spaces so lines stay within 78 characters where the words allow."""
    lines = [head]
    for word in value.split(" "):
        line = lines[-1]
        if word and len(line) + 1 + len(word) > MAX_LINE and line != head and line.strip():
            lines.append("")
        lines[-1] += " " + word
    return eol.join(lines)


def _mailbox(name: str, address: str) -> str:
    """`"Name" <address>` with the name quoted or RFC 2047-encoded; ready for `_field`."""
    name = " ".join(name.split())
    if not name:
        return f"<{address}>"
    if name.isascii():
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + f'" <{address}>'
    return f"{_encoded_words(name)} <{address}>"


def _list_headers(lst: ListIdentity, archived_url: str | None) -> list[tuple[str, str, bool]]:
    """RFC 2369 and RFC 2919 headers, plus the loop and bulk markers (name, value, ready)."""
    archive = f"<{lst.archive_url}>"
    headers = [
        ("List-Id", _mailbox(lst.display_name, f"{lst.name}.{lst.domain}"), True),
        ("List-Post", f"<mailto:{lst.address}>", False),
        ("List-Help", f"<mailto:{lst.name}-request@{lst.domain}?subject=help>", False),
        ("List-Subscribe", f"<mailto:{lst.name}-join@{lst.domain}>, {archive}", False),
        ("List-Archive", archive, False),
    ]
    if archived_url:
        headers.append(("Archived-At", f"<{archived_url}>", False))
    return [*headers, ("Precedence", "list", False), ("X-Loop", lst.address, False)]


def _prefix_subject(mail: _Mail, prefix: str) -> None:
    position = mail.find("subject")
    original = None if position is None else _value(mail.fields[position])
    text = decode_header(original)[0] if original is not None else ""
    wanted = prefixed_subject(text, prefix)
    if original is not None and wanted == " ".join(original.split()):
        return  # already right: keep the author's bytes
    mail.set("Subject", wanted)


def prefixed_subject(subject: str, prefix: str) -> str:
    """`prefix` once, in front: "Re: [THPT] x" and "[THPT] Re: x" both give "[THPT] Re: x"."""
    pattern = re.compile(r"\s*" + re.escape(prefix) + r"\s*", re.IGNORECASE)
    rest = " ".join(pattern.sub(" ", subject).split())
    return f"{prefix} {rest or '(no subject)'}"


def _munge_from(mail: _Mail, lst: ListIdentity) -> None:
    """DMARC: From becomes the list, and the author stays one Reply (or Reply-All) away.
    Without an author address there is nobody to keep reachable, so From is left alone."""
    position = mail.find("from")
    if position is None:
        return
    original = mail.fields[position]
    name, address = parse_from(_value(original))
    if not address:
        return
    shown = f"{name or address.partition('@')[0]} via {lst.display_name}"
    mail.fields[position] = _field("From", _mailbox(shown, lst.address), mail.eol, ready=True)
    _rename_author_fields(mail, position)
    author = original.partition(b":")[2].strip()
    reply_to = mail.find("reply-to")
    if reply_to is None:
        mail.fields.insert(position + 1, b"Reply-To: " + author + mail.eol)
        return
    if address.lower() in _addresses(mail, "reply-to") | _addresses(mail, "cc"):
        return
    cc = mail.find("cc")
    if cc is None:
        mail.fields.insert(reply_to + 1, b"Cc: " + author + mail.eol)
    else:
        mail.fields[cc] = (
            mail.fields[cc].rstrip(b"\r\n") + b"," + mail.eol + b" " + author + mail.eol
        )


_RENAMED = {"from": b"X-Original-From", "sender": b"X-Original-Sender"}


def _rename_author_fields(mail: _Mail, kept: int) -> None:
    """Exactly one From (receivers reject two) and no Sender naming the author's domain:
    the others keep their value under X-Original-From / X-Original-Sender."""
    for position, field in enumerate(mail.fields):
        name = _name(field)
        if name in _RENAMED and position != kept:
            mail.fields[position] = _RENAMED[name] + b":" + field.partition(b":")[2]


def _addresses(mail: _Mail, name: str) -> set[str]:
    values = [_value(f) for f in mail.fields if _name(f) == name]
    return {address.lower() for _, address in getaddresses(values) if address}


def _add_footer(mail: _Mail, footer: str) -> None:
    """Append the footer where every mail client shows it and no MIME structure breaks."""
    content = [f for f in mail.fields if _name(f).startswith("content-")]
    head = BytesHeaderParser(policy=policy.compat32).parsebytes(b"".join(content) + mail.eol)
    kind = head.get_content_type()
    text = "\n".join(footer.strip("\r\n").splitlines()) + "\n"
    if kind == "text/plain" and head.get_content_disposition() != "attachment":
        done = _append_to_text(mail, head, text)
    else:
        done = kind == "multipart/mixed" and _append_part(mail, head, text)
    if not done:
        _wrap(mail, text)
    mail.drop(lambda name: name == "content-length")  # mbox-era length, now wrong
    if mail.find("mime-version") is None:
        mail.set("MIME-Version", "1.0")


def _append_to_text(mail: _Mail, head: Message, footer: str) -> bool:
    """The footer joins a plain text body in UTF-8 or ASCII; False when the body is another
    charset, undecodable, or in an unknown transfer encoding."""
    charset = head.get_content_charset("us-ascii")
    encoding = str(head.get("content-transfer-encoding", "7bit")).strip().lower()
    plain_type = str(head.get("content-type", "")).isascii()  # so it can be rewritten
    if charset not in _PLAIN_CHARSETS or encoding not in _TRANSFER_ENCODINGS or not plain_type:
        return False
    try:
        text = _transfer_decoded(mail.body, encoding).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    eol = mail.eol.decode("ascii")
    joint = "" if not text or text.endswith("\n") else "\n"
    addition = (joint + footer).replace("\n", eol).encode("utf-8")
    if encoding in ("quoted-printable", "base64"):
        mail.body = _transfer_encoded(text.encode("utf-8") + addition, encoding, mail.eol)
    else:
        mail.body += addition
        if encoding == "7bit" and not addition.isascii():
            mail.set("Content-Transfer-Encoding", "8bit")
    if not (addition.isascii() or charset.startswith("utf")):
        _set_charset(mail, head, "utf-8")  # ASCII is UTF-8: the old text reads the same
    return True


def _transfer_decoded(body: bytes, encoding: str) -> bytes:
    if encoding == "base64":
        return binascii.a2b_base64(body)
    return binascii.a2b_qp(body) if encoding == "quoted-printable" else body


def _transfer_encoded(data: bytes, encoding: str, eol: bytes) -> bytes:
    if encoding == "base64":
        return base64.encodebytes(data).replace(b"\n", eol)
    lines = data.replace(b"\r\n", b"\n")
    return binascii.b2a_qp(lines, istext=True).replace(b"\n", eol)


def _set_charset(mail: _Mail, head: Message, charset: str) -> None:
    updated = Message()
    updated["Content-Type"] = " ".join(str(head.get("content-type", "text/plain")).split())
    updated.set_param("charset", charset)
    mail.set("Content-Type", " ".join(str(updated["Content-Type"]).split()), ready=True)


def _footer_part(footer: str, eol: bytes) -> bytes:
    """A MIME body part holding the footer, 7-bit safe and still readable in the raw mail
    (quoted-printable, so its links can be found with grep)."""
    plain = footer.isascii()
    head = (
        f'Content-Type: text/plain; charset="{"us-ascii" if plain else "utf-8"}"\n'
        f"Content-Transfer-Encoding: {'7bit' if plain else 'quoted-printable'}\n"
        "Content-Disposition: inline\n\n"
    ).encode("ascii")
    body = footer.encode("ascii") if plain else quopri.encodestring(footer.encode("utf-8"))
    return (head + body).replace(b"\n", eol)


def _append_part(mail: _Mail, head: Message, footer: str) -> bool:
    """A new last part before the closing delimiter; False when there is none (no boundary,
    or a truncated message), since a guess could swallow the footer into the last part."""
    boundary = head.get_boundary()
    if not boundary:
        return False
    delimiter = b"--" + boundary.encode("ascii", "surrogateescape")
    close = re.search(rb"(?m)^" + re.escape(delimiter) + rb"--[ \t]*\r?$", mail.body)
    if close is None:
        return False
    part = delimiter + mail.eol + _footer_part(footer, mail.eol) + mail.eol
    mail.body = mail.body[: close.start()] + part + mail.body[close.start() :]
    return True


def _wrap(mail: _Mail, footer: str) -> None:
    """multipart/mixed around the original entity, byte for byte, then the footer part.
    A signed part stays verifiable, and an alternative keeps its choice."""
    eol = mail.eol
    moved = mail.drop(lambda name: name.startswith("content-") and name != "content-length")
    inner = b"".join(f if f.endswith(b"\n") else f + eol for f in moved)
    entity = inner + eol + mail.body
    boundary = _boundary(entity)
    mail.set("Content-Type", f'multipart/mixed; boundary="{boundary}"', ready=True)
    if not entity.isascii():
        mail.set("Content-Transfer-Encoding", "8bit")
    delimiter = b"--" + boundary.encode("ascii")
    # The line end before a delimiter belongs to it (RFC 2046), hence the extra one.
    mail.body = delimiter + eol + entity + eol + delimiter + eol
    mail.body += _footer_part(footer, eol) + eol + delimiter + b"--" + eol


def _boundary(entity: bytes) -> str:
    """Derived from the content, so the same post is decorated the same way every time; an
    entity cannot contain a hash of itself, so the boundary never occurs inside it."""
    return f"==forum-{hashlib.sha256(entity).hexdigest()[:40]}"
