"""Hand one copy to the next hop: a smarthost over SMTP, or a local maildir when none is set."""

from __future__ import annotations

import mailbox
import re
import smtplib
import ssl
from pathlib import Path
from types import TracebackType
from typing import Protocol
from urllib.parse import unquote, urlsplit

_BARE_LF = re.compile(rb"(?<!\r)\n")


class TemporaryFailure(Exception):
    """Try again later (4xx, connection refused, timeout)."""


class PermanentFailure(Exception):
    """The receiving server refused for good (5xx)."""


class Transport(Protocol):
    def send(self, envelope_from: str, recipient: str, data: bytes) -> None: ...

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
            self._smtp = smtp
        return self._smtp

    def send(self, envelope_from: str, recipient: str, data: bytes) -> None:
        wire = _BARE_LF.sub(b"\r\n", data)  # SMTP lines end in CRLF (RFC 5321 2.3.8)
        try:
            refused = self._connection().sendmail(envelope_from, [recipient], wire)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise _failure(code, reply) from error
        except smtplib.SMTPResponseException as error:
            self._reset()
            raise _failure(error.smtp_code, error.smtp_error) from error
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
        if refused:  # pragma: no cover - one recipient: refusal raises above
            code, reply = next(iter(refused.values()))
            raise _failure(code, reply)

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

    def send(self, envelope_from: str, recipient: str, data: bytes) -> None:
        if "\n" in envelope_from + recipient or "\r" in envelope_from + recipient:
            raise PermanentFailure("line break in an envelope address")
        trace = f"Return-Path: <{envelope_from}>\nDelivered-To: {recipient}\n".encode()
        try:
            self.maildir.add(trace + data)
        except OSError as error:
            raise TemporaryFailure(f"maildir: {error}") from error

    def close(self) -> None:
        return None


def _failure(code: int, reply: bytes | str) -> Exception:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    message = f"{code} {text}"
    return PermanentFailure(message) if 500 <= code < 600 else TemporaryFailure(message)
