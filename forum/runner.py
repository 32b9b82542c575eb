"""The worker: inbound mail, search indexing, delivery, attachments' text and the periodic
jobs, each in a loop of its own, until told to stop. Separate loops give each a fair share: a
burst of inbound posts never starves delivery of the copies it creates, and a long delivery
round never delays new posts."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from flask import Flask
from sqlalchemy import or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from archive.db import utcnow
from forum.extensions import db, dmarc, session
from forum.mail.delivery import DELIVERY, DeliveryReport, deliver_due
from forum.mail.delivery_pool import DeliveryPool
from forum.mail.digest import send_due_digests
from forum.mail.dmarc import DmarcCache
from forum.mail.transport import Transport
from forum.models import PeriodicJob
from forum.notices.notices import send_deadline_summaries, send_reminders
from forum.posting.pipeline import run_pipeline
from forum.posting.summaries import send_summaries
from forum.ratelimit import prune as prune_rate_events
from forum.search.attachments import attachments_round
from forum.search.indexing import index_pending
from forum.settings import Settings
from forum.topics.choices import muted_threads
from forum.turns import NO_TURNS, Turns, WriteTurns

log = logging.getLogger(__name__)
SWITCH_INTERVAL = 0.0005  # seconds, for the worker's threads on PostgreSQL
FAILED_ROUND_PAUSE = 5.0  # the database may be away for a moment
ATTACHMENTS_IDLE = 5.0  # seconds between looks for new attachments when there were none
JOB_LEASE = timedelta(minutes=10)  # the default of FORUM_JOB_LEASE_SECONDS


@dataclass(frozen=True, slots=True)
class Periodic:
    """A job the worker runs about every `every` seconds; each decides itself what is due."""

    name: str
    run: Callable[[Session, Settings], object]
    every: float = 60.0


PERIODIC: Sequence[Periodic] = (
    Periodic("digests", partial(send_due_digests, muted=muted_threads)),
    Periodic("moderation summaries", send_summaries),
    Periodic("notice reminders", send_reminders),
    Periodic("notice deadline summaries", send_deadline_summaries),
    Periodic("rate events pruned", prune_rate_events, every=3600.0),
)


def run_periodic(app: Flask, jobs: Sequence[Periodic] = PERIODIC) -> None:
    """Each job that is due and not running elsewhere, in its own transaction: however many
    workers run, a job runs once per period, and one failing job does not stop the others."""
    settings: Settings = app.config["FORUM"]
    for job in jobs:
        with app.app_context():
            try:
                if not claim_job(session(), job, lease=settings.job_lease):
                    continue
                job.run(session(), settings)
                finish_job(session(), job)
                db.session.commit()
            except Exception:  # logged; the job runs again next period
                db.session.rollback()
                log.exception("periodic job %r failed", job.name)
                _give_back(job)
            finally:
                db.session.remove()


def claim_job(
    session: Session, job: Periodic, now: datetime | None = None, lease: timedelta = JOB_LEASE
) -> bool:
    """Take the job's row for this run (one UPDATE: atomic on SQLite and PostgreSQL); False
    when another worker runs it or it ran less than a period ago."""
    now = now or utcnow()
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(PeriodicJob).values(name=job.name).on_conflict_do_nothing())
    claimed = session.execute(
        update(PeriodicJob)
        .where(
            PeriodicJob.name == job.name,
            or_(PeriodicJob.running_until.is_(None), PeriodicJob.running_until < now),
            or_(
                PeriodicJob.last_run_at.is_(None),
                PeriodicJob.last_run_at <= now - timedelta(seconds=job.every * 0.9),
            ),
        )
        .values(running_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    session.commit()  # the claim is seen by other workers at once
    return bool(claimed.rowcount)  # type: ignore[attr-defined]


def _give_back(job: Periodic) -> None:
    """A failed run's claim, let go at once (not after its lease): the next period's run
    may be any worker's."""
    try:
        db.session.execute(
            update(PeriodicJob)
            .where(PeriodicJob.name == job.name)
            .values(running_until=None)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    except Exception:  # the database is away: the lease ends it
        db.session.rollback()
        log.exception("periodic job %r: could not give back its claim", job.name)


def finish_job(session: Session, job: Periodic) -> None:
    session.execute(
        update(PeriodicJob)
        .where(PeriodicJob.name == job.name)
        .values(running_until=None, last_run_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def receive_once(
    app: Flask,
    cache: DmarcCache | None = None,
    stop: threading.Event | None = None,
    turns: WriteTurns = NO_TURNS,
) -> int:
    """A batch of inbound mail; the number of messages taken."""
    settings: Settings = app.config["FORUM"]
    with app.app_context():
        try:
            return run_pipeline(session(), settings, cache, stop=stop, turns=turns)
        finally:
            db.session.remove()


def work_once(
    app: Flask,
    transport: Transport,
    cache: DmarcCache | None = None,
    stop: threading.Event | None = None,
) -> tuple[int, DeliveryReport]:
    """One round on one connection: a batch of inbound mail, then a batch of due copies."""
    taken = receive_once(app, cache)
    with app.app_context():
        try:
            report = deliver_due(session(), app.config["FORUM"], transport, stop=stop)
        finally:
            db.session.remove()
    index_round(app)
    attachments_once(app)
    return taken, report


def index_round(app: Flask) -> int:
    """Bring the search index up to date; after inbound mail, so search never holds it up."""
    settings: Settings = app.config["FORUM"]
    with app.app_context():
        try:
            return index_pending(session(), settings)
        except Exception:  # derived data: the next round or `forum reindex` catches up
            log.exception("search indexing failed")
            return 0
        finally:
            db.session.remove()


def attachments_once(app: Flask, stop: threading.Event | None = None) -> int:
    """A batch of attachments read and indexed (after archiving, apart from delivery)."""
    settings: Settings = app.config["FORUM"]
    with app.app_context():
        try:
            return attachments_round(session(), settings, stop)
        except Exception:  # derived data: the next round or `forum reindex` catches up
            db.session.rollback()
            log.exception("reading attachments failed")
            return 0
        finally:
            db.session.remove()


def run_worker(app: Flask, stop: threading.Event, idle_seconds: float = 0.5) -> None:
    """Run the four loops until `stop` is set; a batch in progress ends cleanly."""
    settings: Settings = app.config["FORUM"]
    with app.app_context():
        cache = dmarc()
        turns = write_turns(db.engine.dialect.name)
    if turns is NO_TURNS:
        # The loops run side by side: inbound busy in Python, delivery mostly waiting on
        # sockets. A short switch interval lets a waiting delivery thread back in at once (the
        # default 5 ms costs a copy several: one per SMTP reply and database write). With
        # turns the loops mostly take turns, and the default serves them better.
        sys.setswitchinterval(SWITCH_INTERVAL)
    pool = DeliveryPool(app, settings, settings.delivery_connections, turns=turns)

    def inbound() -> bool:
        taken = receive_once(app, cache, stop, turns)
        if turns is not NO_TURNS:  # one host (SQLite): indexing follows inbound, as below
            index_round(app)
        return taken > 0

    def search() -> bool:  # its own loop: a long inbound batch never delays searchability
        return index_round(app) > 0

    def delivery() -> bool:
        report = pool.deliver_round(stop)
        if report.handled:
            log.info(
                "delivered %d, deferred %d, failed %d",
                report.sent,
                report.deferred,
                report.failed,
            )
        return report.handled > 0

    def attachments() -> bool:
        if attachments_once(app, stop) > 0:
            return True
        stop.wait(ATTACHMENTS_IDLE)  # derived data: no hurry when there is nothing new
        return True

    def periodic() -> bool:
        run_periodic(app)
        stop.wait(min(job.every for job in PERIODIC))
        return True

    loops = [
        threading.Thread(target=_loop, args=(work, stop, idle_seconds), name=f"worker-{name}")
        for name, work in (
            ("inbound", inbound),
            *((("search", search),) if turns is NO_TURNS else ()),
            ("delivery", delivery),
            ("attachments", attachments),
            ("periodic", periodic),
        )
    ]
    try:
        for loop in loops:
            loop.start()
        for loop in loops:
            loop.join()
    finally:
        pool.close()


def write_turns(dialect: str) -> WriteTurns:
    """Turns at the write lock for SQLite (delivery gets the larger share: a copy waiting
    is a reader waiting; a post waiting is already safe in the queue); none for PostgreSQL."""
    if dialect != "sqlite":
        return NO_TURNS
    return Turns({"inbound": 0.05, DELIVERY: 0.15})


def _loop(work: Callable[[], bool], stop: threading.Event, idle_seconds: float) -> None:
    """Call `work` until `stop`; rest when it found nothing to do, pause when it failed."""
    while not stop.is_set():
        try:
            busy = work()
        except Exception:  # logged, and tried again after a pause
            log.exception("worker round failed")
            stop.wait(FAILED_ROUND_PAUSE)
            continue
        if not busy:
            stop.wait(idle_seconds)
