"""The worker's periodic jobs are claimed in the database: however many workers run, each job
runs once per period, and a job whose worker died is taken over after its lease."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from archive.db import utcnow
from forum.extensions import db
from forum.runner import JOB_LEASE, PERIODIC, Periodic, claim_job, finish_job, run_periodic


def test_a_job_runs_once_per_period_whoever_asks(app: Flask) -> None:
    job = Periodic("digests", lambda session, settings: None, every=60)
    now = utcnow()
    assert claim_job(db.session(), job, now)
    assert not claim_job(db.session(), job, now)  # another worker, meanwhile: not twice
    finish_job(db.session(), job)
    db.session.commit()
    assert not claim_job(db.session(), job, now + timedelta(seconds=5))  # ran just now
    assert claim_job(db.session(), job, now + timedelta(seconds=61))  # the next period


def test_a_job_whose_worker_died_is_taken_over_after_its_lease(app: Flask) -> None:
    job = Periodic("summaries", lambda session, settings: None, every=60)
    now = utcnow()
    assert claim_job(db.session(), job, now)  # ... and that worker is killed
    assert not claim_job(db.session(), job, now + timedelta(minutes=1))
    assert claim_job(db.session(), job, now + JOB_LEASE + timedelta(seconds=1))


def test_running_the_periodic_jobs_twice_in_a_row_runs_each_once(app: Flask) -> None:
    runs: list[str] = []
    jobs = [Periodic(f"job-{n}", lambda s, c, n=n: runs.append(f"job-{n}")) for n in range(3)]
    run_periodic(app, jobs)
    run_periodic(app, jobs)  # a second worker, a moment later
    assert runs == ["job-0", "job-1", "job-2"]
    assert {job.name for job in PERIODIC} == {
        "digests",
        "moderation summaries",
        "notice reminders",
        "notice deadline summaries",
        "rate events pruned",
    }


def test_a_job_that_failed_is_not_held_back_by_its_lease(app: Flask) -> None:
    attempts: list[int] = []

    def flaky(session: object, settings: object) -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("the smarthost is away")

    jobs = [Periodic("flaky", flaky)]
    run_periodic(app, jobs)
    run_periodic(app, jobs)  # the next period, on any worker: not ten minutes later
    assert len(attempts) == 2
