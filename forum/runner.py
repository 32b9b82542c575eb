"""The worker: run the inbound pipeline and deliver the outbox, until told to stop."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

from forum.extensions import db, session
from forum.mail.delivery import DeliveryReport, deliver_due
from forum.mail.delivery_pool import DeliveryPool
from forum.mail.digest import send_due_digests
from forum.mail.dmarc import CachedPolicies, dns_resolver
from forum.mail.transport import Transport
from forum.notices.notices import send_deadline_summaries, send_reminders
from forum.posting.moderation import send_summaries
from forum.posting.pipeline import run_pipeline
from forum.search.indexing import index_pending
from forum.settings import Settings

log = logging.getLogger(__name__)
DIGEST_CHECK_SECONDS = 60


def policies_for(settings: Settings) -> CachedPolicies:
    return CachedPolicies(dns_resolver(settings.dns_server or None))


def receive_once(app: Flask, policies: CachedPolicies | None = None, digests: bool = False) -> int:
    """A batch of inbound mail, then due digests if asked; the number of messages taken."""
    settings: Settings = app.config["FORUM"]
    with app.app_context():
        try:
            taken = run_pipeline(session(), settings, policies)
            if digests:  # the periodic jobs, about once a minute
                send_due_digests(session(), settings)
                send_summaries(session(), settings)
                send_reminders(session(), settings)
                send_deadline_summaries(session(), settings)
                db.session.commit()
        finally:
            db.session.remove()
    return taken


def work_once(
    app: Flask,
    transport: Transport,
    policies: CachedPolicies | None = None,
    stop: threading.Event | None = None,
    digests: bool = False,
) -> tuple[int, DeliveryReport]:
    """One round on one connection: `receive_once`, then a batch of due copies."""
    taken = receive_once(app, policies, digests)
    with app.app_context():
        try:
            report = deliver_due(session(), app.config["FORUM"], transport, stop=stop)
        finally:
            db.session.remove()
    index_round(app)
    return taken, report


def index_round(app: Flask) -> int:
    """Bring the search index up to date; last in a round, so search never holds up mail."""
    settings: Settings = app.config["FORUM"]
    with app.app_context():
        try:
            return index_pending(session(), settings)
        except Exception:  # derived data: the next round or `forum reindex` catches up
            log.exception("search indexing failed")
            return 0
        finally:
            db.session.remove()


def run_worker(app: Flask, stop: threading.Event, idle_seconds: float = 0.5) -> None:
    """Loop until `stop` is set; a batch in progress ends cleanly (unsent copies released)."""
    settings: Settings = app.config["FORUM"]
    pool = DeliveryPool(app, settings, settings.delivery_connections)
    policies = policies_for(settings)
    next_digest_check = 0.0
    try:
        while not stop.is_set():
            digests = time.monotonic() >= next_digest_check
            if digests:
                next_digest_check = time.monotonic() + DIGEST_CHECK_SECONDS
            try:
                taken = receive_once(app, policies, digests)
                report = pool.deliver_round(stop)  # a batch on each connection, side by side
                index_round(app)
            except Exception:  # the database may be away for a moment: wait and go on
                log.exception("worker round failed")
                stop.wait(5)
                continue
            if report.handled:
                log.info(
                    "delivered %d, deferred %d, failed %d",
                    report.sent,
                    report.deferred,
                    report.failed,
                )
            if not taken and not report.handled:
                stop.wait(idle_seconds)
    finally:
        pool.close()
