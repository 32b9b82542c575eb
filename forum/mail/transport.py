"""Hand one copy to the next hop: a smarthost over SMTP, or a local maildir when none is set."""

from __future__ import annotations

import mailbox
import re
import smtplib
import ssl
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Protocol, TypeVar
from urllib.parse import unquote, urlsplit

_T = TypeVar("_T")
_LINE_END = re.compile(rb"\r\n|\r|\n")
_NOT_IN_PATH = re.compile(r"[\x00-\x20<>\x7f]")


class TemporaryFailure(Exception):
    """Try again later (4xx, connection refused, timeout)."""


class PermanentFailure(Exception):
    """The receiving server refused for good (5xx)."""


def _nothing() -> None:
    return None


Payload = bytes | Callable[[], bytes]  # a function is called once, while RCPT TO is read


class Transport(Protocol):
    def send(
        self,
        envelope_from: str,
        recipient: str,
        data: Payload,
        meanwhile: Callable[[], None] = _nothing,
    ) -> None:
        """Hand over one copy (its bytes, or a function making them). `meanwhile` is called
        exactly once: while the next hop reads the envelope, before any of the message is
        sent, or before a failure is raised."""
        ...

    def close(self) -> None: ...


class SmtpTransport:
    """One reused connection to the smarthost (`smtp://`, `smtp+starttls://` or `smtps://`)."""

    def __init__(self, url: str, user: str = "", password: str = "", timeout: float = 30) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtp+starttls", "smtps") or not parts.hostname:
            raise ValueError(f"unsupported smarthost URL: {url!r}")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (465 if parts.scheme == "smtps" else 25)
        self.user = user or unquote(parts.username or "")
        self.password = password or unquote(parts.password or "")
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            context = ssl.create_default_context()
            if self.scheme == "smtps":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                if self.scheme == "smtp+starttls":
                    smtp.starttls(context=context)
            if self.user:
                smtp.login(self.user, self.password)
            smtp.ehlo_or_helo_if_needed()
            self._smtp = smtp
        return self._smtp

    def send(
        self,
        envelope_from: str,
        recipient: str,
        data: Payload,
        meanwhile: Callable[[], None] = _nothing,
    ) -> None:
        """One SMTP transaction; `meanwhile` runs while the server answers MAIL FROM, and
        the message is made (when `data` is a function) while it answers RCPT TO."""
        once = _Once(meanwhile)
        try:
            # MAIL, RCPT and DATA by hand: sendmail() re-parses both addresses on every copy.
            mail, rcpt = f"MAIL FROM:{_path(envelope_from)}", f"RCPT TO:{_path(recipient)}"
            code, reply = self._transaction(mail, rcpt, data, once)
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
        finally:
            once()  # when the transaction ended before MAIL FROM was sent
        if 200 <= code < 300:
            return
        if code == 421:  # the server is closing the connection
            self.close()
        else:
            self._reset()
        raise _failure(code, reply)

    def _transaction(
        self, mail: str, rcpt: str, data: Payload, meanwhile: Callable[[], None]
    ) -> tuple[int, bytes]:
        """MAIL and RCPT, DATA, then the message: the final reply, or the first refusal. Our
        own work is done while the server reads the envelope."""
        smtp = self._connection()
        smtp.putcmd(mail)
        self._unanswered(meanwhile)
        code, reply = smtp.getreply()
        if code // 100 != 2:
            return code, reply
        smtp.putcmd(rcpt)
        wire = self._unanswered(lambda: _wire(data() if callable(data) else data))
        code, reply = smtp.getreply()
        if code // 100 != 2:
            return code, reply
        smtp.putcmd("DATA")
        code, reply = smtp.getreply()
        if code // 100 != 3:  # 354 asks for the message
            return code, reply
        smtp.send(wire)
        return smtp.getreply()

    def _unanswered(self, work: Callable[[], _T]) -> _T:
        """`work`, done while a command awaits its reply: should it fail, the connection is
        left mid-command and is closed (the next copy starts afresh)."""
        try:
            return work()
        except BaseException:
            self.close()
            raise

    def _reset(self) -> None:
        try:
            if self._smtp is not None:
                self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class MaildirTransport:
    """The embedded default: each copy becomes a file, as a local delivery agent would write."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.maildir = mailbox.Maildir(path, create=True)

    def send(
        self,
        envelope_from: str,
        recipient: str,
        data: Payload,
        meanwhile: Callable[[], None] = _nothing,
    ) -> None:
        meanwhile()
        if callable(data):
            data = data()
        if "\n" in envelope_from + recipient or "\r" in envelope_from + recipient:
            raise PermanentFailure("line break in an envelope address")
        trace = f"Return-Path: <{envelope_from}>\nDelivered-To: {recipient}\n".encode()
        try:
            self.maildir.add(trace + data)
        except OSError as error:
            raise TemporaryFailure(f"maildir: {error}") from error

    def close(self) -> None:
        return None


class _Once:
    """A callable that runs its function the first time only."""

    def __init__(self, function: Callable[[], None]) -> None:
        self.function: Callable[[], None] | None = function

    def __call__(self) -> None:
        function, self.function = self.function, None
        if function is not None:
            function()


def _failure(code: int, reply: bytes | str) -> Exception:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    message = f"{code} {text}"
    return PermanentFailure(message) if 500 <= code < 600 else TemporaryFailure(message)


def ascii_domain(address: str) -> str:
    """An internationalised domain in its ASCII form (IDNA): `trường.vn` -> `xn--trng-...`."""
    local, at, domain = address.rpartition("@")
    if not at or domain.isascii():
        return address
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return address


def _path(address: str) -> str:
    """`<address>` for MAIL FROM or RCPT TO, refusing what would break the command line."""
    if _NOT_IN_PATH.search(address):
        raise PermanentFailure(f"not a usable envelope address: {address!r}")
    address = ascii_domain(address)
    if not address.isascii():
        raise PermanentFailure(f"address needs SMTPUTF8, which we do not use: {address!r}")
    return f"<{address}>"


def _wire(data: bytes) -> bytes:
    """DATA's payload: CRLF line ends (RFC 5321 2.3.8), dot-stuffed (4.5.2), then "."."""
    carriage_returns = data.count(b"\r")
    if not carriage_returns:
        data = data.replace(b"\n", b"\r\n")  # the usual case; bytes.replace beats a regex
    elif not carriage_returns == data.count(b"\n") == data.count(b"\r\n"):
        data = _LINE_END.sub(b"\r\n", data)
    if data.startswith(b"."):
        data = b"." + data
    data = data.replace(b"\n.", b"\n..")
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"
