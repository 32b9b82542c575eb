"""A real SMTP server on 127.0.0.1 that keeps what it receives (the smarthost in tests)."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from email.policy import compat32
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True, slots=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes

    @property
    def message(self) -> Message:
        return email.message_from_bytes(self.data, policy=compat32)

    @property
    def text(self) -> str:
        """Headers as received and every text part decoded, for looking things up."""
        parts = [self.data.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")]
        for part in self.message.walk():
            if part.get_content_maintype() == "text":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    parts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
        return "\n".join(parts)


class _Handler:
    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    async def handle_RCPT(  # noqa: N802
        self, server: SMTP, session: Any, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.sink.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Any, envelope: Envelope) -> str:  # noqa: N802
        if self.sink.delay:
            await asyncio.sleep(self.sink.delay)
        if self.sink.on_data is not None:
            self.sink.on_data(envelope)
        data = envelope.original_content or b""
        assert isinstance(data, bytes)
        with self.sink.lock:
            self.sink.received.append(
                Received(envelope.mail_from or "", tuple(envelope.rcpt_tos), data)
            )
        return "250 OK"


class Sink:
    """Start, stop and start again on the same port (a smarthost going down and up)."""

    def __init__(self, port: int | None = None, delay: float = 0.0) -> None:
        self.port = port or free_port()
        self.delay = delay
        self.received: list[Received] = []
        self.refuse: set[str] = set()  # recipients answered 550
        # called with each message before it is accepted (in the server's thread)
        self.on_data: Callable[[Envelope], None] | None = None
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> Sink:
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def recipients(self) -> list[str]:
        with self.lock:
            return [r for item in self.received for r in item.rcpt_tos]

    def for_recipient(self, address: str) -> list[Received]:
        with self.lock:
            return [item for item in self.received if address in item.rcpt_tos]
