"""The SMTP / LMTP server (aiosmtpd): accept mail only for our addresses, store it, then 250."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

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
    controller_class = _LMTPController if lmtp else Controller
    controller = controller_class(
        handler,
        hostname=host or settings.smtpd_host,
        port=settings.smtpd_port if port is None else port,
        data_size_limit=settings.max_message_bytes,
    )
    controller.start()
    return controller


class _LMTPController(Controller):
    def factory(self) -> LMTP:
        return LMTP(self.handler, **self.SMTP_kwargs)
