"""Storing mail: idempotence, cross-posting, raw bytes kept, threads with ghosts and merges."""

from __future__ import annotations

import base64
from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from archive.models import Attachment, Ghost, MailingList, Message, Thread
from archive.parse import parse_message
from archive.store import ThreadingOptions, store, store_batch
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from tests.mail import raw_mail


def _list(name: str = "thpt") -> MailingList:
    mlist, _ = ensure_list(db.session, ListSpec(name, name.upper(), ""), "example.org")
    db.session.commit()
    return mlist


def _thread_of(message_id: str) -> int:
    return db.session.scalar(select(Message.thread_id).where(Message.message_id == message_id))


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_same_message_id_twice_in_one_list_is_stored_once(app: Flask) -> None:
    mlist = _list()
    first = store(db.session, raw_mail("a@x"), mlist.id)
    again = store(db.session, raw_mail("a@x", body="different body\n"), mlist.id)
    db.session.commit()
    assert len(first.stored) == 1
    assert again.stored == ()
    assert again.duplicates == 1
    assert _count(Message) == 1


def test_duplicates_inside_one_batch_are_stored_once(app: Flask) -> None:
    mlist = _list()
    result = store_batch(db.session, mlist.id, [raw_mail("a@x"), raw_mail("a@x")])
    assert len(result.stored) == 1
    assert result.duplicates == 1


def test_cross_posted_message_is_archived_in_each_list(app: Flask) -> None:
    thpt, thcs = _list("thpt"), _list("thcs")
    raw = raw_mail("notice@x", subject="Giấy mời họp")
    store(db.session, raw, thpt.id)
    store(db.session, raw, thcs.id)
    db.session.commit()
    lists = db.session.scalars(select(Message.list_id).where(Message.message_id == "notice@x"))
    assert sorted(lists) == sorted([thpt.id, thcs.id])


def test_raw_bytes_are_kept_exactly_as_received(app: Flask) -> None:
    mlist = _list()
    raw = b"Subject: =?utf-8?q?=C4=91=C4=83ng_k=C3=BD?=\r\nMessage-ID: <r@x>\r\n\r\nbody\xff\r\n"
    store(db.session, raw, mlist.id)
    db.session.commit()
    stored = db.session.scalars(select(Message)).one()
    assert stored.raw == raw
    assert stored.raw_size == len(raw)
    assert stored.subject == "đăng ký"


def test_reply_arriving_before_parent_is_reattached(app: Flask) -> None:
    mlist = _list()
    store(db.session, raw_mail("child@x", in_reply_to="root@x", references="<root@x>"), mlist.id)
    store(db.session, raw_mail("other-child@x", in_reply_to="root@x"), mlist.id)
    assert _count(Ghost) == 1
    store(db.session, raw_mail("root@x", date="Mon, 13 Apr 2009 08:00:00 +0700"), mlist.id)
    db.session.commit()
    assert _thread_of("child@x") == _thread_of("root@x") == _thread_of("other-child@x")
    assert _count(Thread) == 1
    assert _count(Ghost) == 0
    child = db.session.scalars(select(Message).where(Message.message_id == "child@x")).one()
    assert child.parent_message_id == "root@x"
    assert not child.parent_is_ghost
    assert child.thread_depth == 1
    thread = db.session.scalars(select(Thread)).one()
    assert thread.message_count == 3
    assert thread.root_message_id == db.session.scalar(
        select(Message.id).where(Message.message_id == "root@x")
    )


def test_message_linking_two_threads_merges_them(app: Flask) -> None:
    mlist = _list()
    store(db.session, raw_mail("a@x"), mlist.id)
    store(db.session, raw_mail("c@x", in_reply_to="b@x", references="<b@x>"), mlist.id)
    assert _count(Thread) == 2
    store(db.session, raw_mail("b@x", in_reply_to="a@x", references="<a@x>"), mlist.id)
    db.session.commit()
    assert _count(Thread) == 1
    depths = dict(db.session.execute(select(Message.message_id, Message.thread_depth)).all())
    assert depths == {"a@x": 0, "b@x": 1, "c@x": 2}


def test_missing_middle_message_keeps_the_thread_together(app: Flask) -> None:
    mlist = _list()
    store(db.session, raw_mail("root@x"), mlist.id)
    grandchild = raw_mail("gc@x", in_reply_to="mid@x", references="<root@x> <mid@x>")
    store(db.session, grandchild, mlist.id)
    db.session.commit()
    assert _thread_of("gc@x") == _thread_of("root@x")
    ghost = db.session.scalars(select(Ghost)).one()
    assert ghost.message_id == "mid@x"
    row = db.session.scalars(select(Message).where(Message.message_id == "gc@x")).one()
    assert row.parent_message_id == "root@x"
    assert row.thread_depth == 1


def test_reference_cycle_is_stored_without_looping(app: Flask) -> None:
    mlist = _list()
    store(db.session, raw_mail("a@x", in_reply_to="b@x", references="<b@x>"), mlist.id)
    store(db.session, raw_mail("b@x", in_reply_to="a@x", references="<a@x>"), mlist.id)
    db.session.commit()
    rows = db.session.execute(select(Message.thread_order, Message.thread_depth)).all()
    assert sorted(rows) == [(0, 0), (1, 1)]


def test_message_without_message_id_gets_a_stable_synthetic_id(app: Flask) -> None:
    mlist = _list()
    raw = raw_mail(None, subject="no id")
    store(db.session, raw, mlist.id)
    again = store(db.session, raw, mlist.id)
    db.session.commit()
    stored = db.session.scalars(select(Message)).one()
    assert stored.synthetic_id
    assert stored.message_id.endswith("@synthetic.invalid")
    assert again.duplicates == 1


def test_unparseable_input_is_stored_raw_and_flagged_or_readable(app: Flask) -> None:
    mlist = _list()
    garbage = bytes(range(256)) * 40
    result = store(db.session, garbage, mlist.id)
    db.session.commit()
    assert len(result.stored) == 1
    stored = db.session.get(Message, result.stored[0])
    assert stored is not None
    assert stored.raw == garbage


def test_text_with_nul_characters_is_storable(app: Flask) -> None:
    mlist = _list()
    store(db.session, raw_mail("nul@x", body="before\x00after\n"), mlist.id)
    db.session.commit()
    body = db.session.scalar(select(Message.body_text))
    assert "before" in body
    assert "after" in body
    assert "\x00" not in body


def test_subject_threading_is_off_by_default(app: Flask) -> None:
    mlist = _list()
    store(db.session, raw_mail("q@x", subject="Lịch thi"), mlist.id)
    store(db.session, raw_mail("r@x", subject="Re: Lịch thi"), mlist.id)
    assert _thread_of("q@x") != _thread_of("r@x")


def test_subject_threading_joins_recent_thread_within_window(app: Flask) -> None:
    mlist = _list()
    window = ThreadingOptions(subject_window=timedelta(days=3))
    store(db.session, raw_mail("q@x", subject="Lịch thi"), mlist.id, window)
    store(db.session, raw_mail("r@x", subject="Re: Lịch thi"), mlist.id, window)
    late = raw_mail("s@x", subject="Re: Lịch thi", date="Tue, 12 May 2009 08:00:00 +0700")
    store(db.session, late, mlist.id, window)
    assert _thread_of("q@x") == _thread_of("r@x")
    assert _thread_of("s@x") != _thread_of("q@x")


def test_a_batch_reads_back_as_parsed_whichever_way_the_database_takes_rows(app: Flask) -> None:
    """PostgreSQL takes a batch by COPY (archive.pg_copy), SQLite by INSERT: every value of
    every row, the keys' order and attachments' bytes come back the same either way."""
    mlist = _list()
    awkward = "tab\there, back\\slash, \\N and \\x41, line\r\nend, đăng ký 🚀\n"
    every_byte = bytes(range(256)) * 4
    attached = (
        (
            "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"{awkward}\r\n--b\r\nContent-Type: application/octet-stream\r\n"
            "Content-Disposition: attachment; filename*=utf-8''t%E1%BB%87p.bin\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n"
        ).encode()
        + base64.encodebytes(every_byte)
        + b"--b--\r\n"
    )
    raws = [
        raw_mail("a@x", subject="Tab\tand \\ backslash", body=awkward),
        raw_mail(None, subject="No id", body="\\.\n"),
        b"From: =?utf-8?q?B=C3=ACnh?= <binh@x>\r\nMessage-ID: <b@x>\r\nMIME-Version: 1.0\r\n"
        b"Date: Wed, 15 Apr 2009 08:00:00 +0700\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\nSubject: files\r\n\r\n' + attached,
        raw_mail("c@x", in_reply_to="a@x", body="<b>not html</b>\n"),
    ]
    result = store_batch(db.session, mlist.id, raws)
    db.session.commit()
    assert list(result.stored) == sorted(result.stored)
    stored = [db.session.get(Message, pk) for pk in result.stored]
    for message, raw in zip(stored, raws, strict=True):
        assert message is not None
        parsed = parse_message(raw)
        assert message.raw == raw
        assert message.raw_size == len(raw)
        assert message.message_id == parsed.message_id
        assert message.subject == parsed.subject
        assert message.sender_name == parsed.from_name
        assert message.body_text == parsed.text
        assert message.body_html == parsed.html
        assert message.date == (parsed.date or message.received_at)
        assert not message.flagged
        assert message.thread_order >= 0
    files = db.session.scalars(select(Attachment).order_by(Attachment.position)).all()
    assert [(f.filename, f.data) for f in files] == [("tệp.bin", every_byte)]
    assert stored[3] is not None
    assert stored[0] is not None
    assert stored[3].thread_id == stored[0].thread_id
