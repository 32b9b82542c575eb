"""The SMTP / LMTP server (aiosmtpd): accept mail only for our addresses, store it, then 250."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, AnyStr

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from forum.extensions import db, session
from forum.mail.inbound import address_book, enqueue_inbound
from forum.mail.routing import route
from forum.settings import Settings

log = logging.getLogger(__name__)

TEMPORARY_FAILURE = "451 4.3.0 Temporary local problem, please try again later"
NO_SUCH_ADDRESS = "550 5.1.1 No such list or address here"
MIN_LINE_BYTES = 2048  # what Postfix passes on; RFC 5321's 1,000 turns real mail away


class InboundHandler:
    """aiosmtpd handler; database work runs in a thread so the event loop stays free."""

    def __init__(self, app: Flask, lmtp: bool = False) -> None:
        self.app = app
        self.lmtp = lmtp

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, smtp_session: Any, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        try:
            known = await asyncio.get_running_loop().run_in_executor(None, self._knows, address)
        except SQLAlchemyError:
            log.exception("address lookup failed for %s", address)
            return TEMPORARY_FAILURE
        if not known:
            return NO_SUCH_ADDRESS
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, smtp_session: Any, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        assert isinstance(raw, bytes)  # noqa: S101 - aiosmtpd gives bytes with decode_data=False
        try:
            await asyncio.get_running_loop().run_in_executor(
                None, self._store, raw, envelope.mail_from or "", list(envelope.rcpt_tos)
            )
        except SQLAlchemyError:
            log.exception("could not queue a message from %s", envelope.mail_from)
            status = TEMPORARY_FAILURE
        else:
            status = "250 2.0.0 Message accepted"
        if self.lmtp:  # LMTP answers once per recipient
            return "\r\n".join(status for _ in envelope.rcpt_tos)
        return status

    def _knows(self, address: str) -> bool:
        with self.app.app_context():
            try:
                settings: Settings = self.app.config["FORUM"]
                return route(address, address_book(session(), settings)) is not None
            finally:
                db.session.remove()

    def _store(self, raw: bytes, mail_from: str, recipients: list[str]) -> None:
        with self.app.app_context():
            try:
                enqueue_inbound(session(), raw, mail_from, recipients)
            except SQLAlchemyError:
                db.session.rollback()
                raise
            finally:
                db.session.remove()


def start_server(
    app: Flask, host: str | None = None, port: int | None = None, lmtp: bool = False
) -> Controller:
    """Start listening in a background thread; `controller.stop()` ends it."""
    settings: Settings = app.config["FORUM"]
    handler = InboundHandler(app, lmtp=lmtp)
    controller = _Controller(
        handler,
        hostname=host or settings.smtpd_host,
        port=settings.smtpd_port if port is None else port,
        data_size_limit=settings.max_message_bytes,
    )
    controller.lmtp = lmtp
    controller.start()
    return controller


class _LongLines(SMTP):
    """Lines as long as the whole message may be (nothing is refused for its layout, and the
    raw bytes are kept as sent); a longer one is answered with a clear reason."""

    def __init__(self, handler: Any, **kwargs: Any) -> None:
        limit = kwargs.get("data_size_limit") or 0
        self.line_length_limit = max(MIN_LINE_BYTES, limit + 2)  # read before the stream is made
        super().__init__(handler, **kwargs)

    async def push(self, status: AnyStr) -> None:
        if isinstance(status, str) and status.startswith("500 Line too long"):
            longest = self.line_length_limit - 2
            reason = f"A line is longer than {longest} bytes (RFC 5321 4.5.3.1.6)"
            await super().push(f"552 5.6.0 {reason}; send it wrapped or encoded")
            return
        await super().push(status)


class _LongLinesLMTP(_LongLines, LMTP):
    pass


class _Controller(Controller):
    lmtp = False

    def factory(self) -> SMTP:
        server_class = _LongLinesLMTP if self.lmtp else _LongLines
        return server_class(self.handler, **self.SMTP_kwargs)
