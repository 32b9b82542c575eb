"""Attachments are claimed for reading: two workers never read the same file, a claim whose
worker stopped is taken again after its lease, and a file that keeps stopping its reader is
set aside with the reason."""

from __future__ import annotations

import threading
from datetime import timedelta
from email.message import EmailMessage

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.extract.store import LEASE, MAX_ATTEMPTS, claim
from archive.models import AttachmentText
from archive.store import store
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.search.attachments import extract_pending
from forum.settings import Settings


def _message_with_files(count: int) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@so.vn", "thpt@example.org", "Tệp"
    message["Message-ID"] = "<files@so.vn>"
    message.set_content("Gửi kèm.")
    for n in range(count):
        message.add_attachment(
            f"tệp {n}".encode(), maintype="text", subtype="plain", filename=f"{n}.txt"
        )
    return message.as_bytes()


def test_two_workers_never_claim_the_same_attachment(app: Flask) -> None:
    mlist, _ = ensure_list(db.session, ListSpec("thpt", "THPT", ""), "example.org")
    store(db.session, _message_with_files(6), mlist.id)
    db.session.commit()
    with Session(db.engine) as first, Session(db.engine) as second:
        mine = claim(first, 4)
        theirs = claim(second, 4)
    assert len(mine) == 4
    assert len(theirs) == 2
    assert not set(mine) & set(theirs)
    with Session(db.engine) as third:
        assert claim(third, 4) == []  # all taken, none done yet

    later = utcnow() + LEASE + timedelta(seconds=1)  # their workers stopped
    with Session(db.engine) as fourth:
        again = claim(fourth, 10, now=later)
    assert sorted(again) == sorted(mine + theirs)
    for step in range(MAX_ATTEMPTS - 1):
        with Session(db.engine) as worker:
            taken = claim(worker, 10, now=later + (LEASE + timedelta(seconds=1)) * (step + 1))
    assert taken == []  # set aside on the attempt past the limit
    db.session.expire_all()
    rows = db.session.scalars(select(AttachmentText)).all()
    assert {row.status for row in rows} == {"skipped"}
    assert {row.reason for row in rows} == {"stopped its reader too often"}


def test_a_stopping_worker_gives_its_claims_back_unread(app: Flask, settings: Settings) -> None:
    mlist, _ = ensure_list(db.session, ListSpec("thpt", "THPT", ""), "example.org")
    store(db.session, _message_with_files(3), mlist.id)
    db.session.commit()
    stop = threading.Event()
    stop.set()
    assert extract_pending(db.session, settings, stop=stop) == 3
    assert db.session.scalars(select(AttachmentText)).all() == []  # free for the next worker
    assert extract_pending(db.session, settings) == 3
    db.session.expire_all()
    assert {row.status for row in db.session.scalars(select(AttachmentText))} == {"text"}
