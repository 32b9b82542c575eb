"""Delivery over several SMTP connections at once: a thread, a database connection and an
SMTP connection each, every thread claiming its own batches (so never the same copy)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from flask import Flask

from forum.extensions import db, session
from forum.mail.delivery import DeliveryReport, deliver_due, transport_for
from forum.mail.transport import Transport
from forum.settings import Settings
from forum.turns import NO_TURNS, WriteTurns


class DeliveryPool:
    """`connections` transports kept open between rounds, one delivery thread for each.

    While one connection waits for the smarthost's reply, another records its outcome or
    sends: the per-copy commit stays before the next copy on its own connection, so a crash
    can resend at most one unacknowledged copy per connection.
    """

    def __init__(
        self,
        app: Flask,
        settings: Settings,
        connections: int,
        *,
        limit: int = 100,
        turns: WriteTurns = NO_TURNS,
    ) -> None:
        if connections < 1:
            raise ValueError("a delivery pool needs at least one connection")
        if not settings.smtp_url:
            connections = 1  # a local maildir: more writers would gain nothing
        self.app = app
        self.settings = settings
        self.limit = limit  # a small batch per claim keeps the threads' last batches even
        self.turns = turns
        self.transports = [transport_for(self.settings) for _ in range(connections)]
        self.executor = ThreadPoolExecutor(connections, thread_name_prefix="delivery")

    def deliver_round(self, stop: threading.Event | None = None) -> DeliveryReport:
        """One batch on each connection, side by side."""
        return self._on_every_connection(stop, until_done=False)

    def deliver_all(self, stop: threading.Event | None = None) -> DeliveryReport:
        """Batch after batch on each connection, until nothing is due (or `stop`)."""
        return self._on_every_connection(stop, until_done=True)

    def close(self) -> None:
        self.executor.shutdown()
        for transport in self.transports:
            transport.close()

    def _on_every_connection(
        self, stop: threading.Event | None, *, until_done: bool
    ) -> DeliveryReport:
        futures = [
            self.executor.submit(self._batches, transport, stop, until_done)
            for transport in self.transports
        ]
        total = DeliveryReport()
        for future in futures:
            total.add(future.result())  # re-raises what went wrong in the thread
        return total

    def _batches(
        self, transport: Transport, stop: threading.Event | None, until_done: bool
    ) -> DeliveryReport:
        total = DeliveryReport()
        with self.app.app_context():
            try:
                while True:
                    report = deliver_due(
                        session(),
                        self.settings,
                        transport,
                        limit=self.limit,
                        stop=stop,
                        turns=self.turns,
                    )
                    total.add(report)
                    stopping = stop is not None and stop.is_set()
                    if not until_done or not report.handled or stopping:
                        return total
            finally:
                db.session.remove()


def deliver_parallel(
    app: Flask,
    settings: Settings,
    stop: threading.Event | None = None,
    *,
    connections: int = 4,
    limit: int = 100,
) -> DeliveryReport:
    """Deliver everything due over `connections` connections at once, then close them."""
    pool = DeliveryPool(app, settings, connections, limit=limit)
    try:
        return pool.deliver_all(stop)
    finally:
        pool.close()
