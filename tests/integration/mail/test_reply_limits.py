"""Automatic replies through the real SMTP server and sink: limits per action and one budget per
address, one answer per request mail, join -> confirm -> leave within a minute, and replies
that cannot confirm getting an explanation."""

from __future__ import annotations

import re
from datetime import timedelta

from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from archive.db import utcnow
from archive.models import MailingList
from forum.extensions import db
from forum.lists.members import find_member
from forum.models import RateEvent
from forum.ratelimit import prune, reply_verdict
from forum.settings import Settings
from tests.integration.mail.conftest import send, work
from tests.integration.mail.test_membership_flow import _mail, _only, _reply_to, _subject
from tests.smtp_sink import Sink
from tests.web import csrf_token

TEACHER = "lan@truong.edu.vn"
VICTIM = "victim@school.example"
_LINK = re.compile(r"http://forum\.test(/confirm/[0-9a-f]{40})")


def _to_request(settings: Settings, sender: str, subject: str, body: str, n: int = 0) -> None:
    raw = _mail(sender, "thpt-request@example.org", subject, f"{body}\n\n-- \nlần {n}")
    send(settings, sender, ["thpt-request@example.org"], raw)


def _confirm_by_reply(app: Flask, settings: Settings, sink: Sink, sender: str) -> None:
    target, reply = _reply_to(sink.for_recipient(sender)[-1], sender)
    send(settings, sender, [target], reply)
    work(app, settings)


def test_join_confirm_leave_within_a_minute_by_mail(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    send(
        settings,
        TEACHER,
        ["dangky-thpt@example.org"],
        _mail(TEACHER, "dangky-thpt@example.org", "x", "vào"),
    )
    work(app, settings)
    _confirm_by_reply(app, settings, sink, TEACHER)
    assert find_member(db.session(), thpt, TEACHER) is not None
    send(
        settings,
        TEACHER,
        ["thpt-leave@example.org"],
        _mail(TEACHER, "thpt-leave@example.org", "bye", "ra"),
    )
    work(app, settings)
    assert "[confirm " in _subject(sink.for_recipient(TEACHER)[-1])
    _confirm_by_reply(app, settings, sink, TEACHER)
    assert find_member(db.session(), thpt, TEACHER) is None
    subjects = [_subject(r) for r in sink.for_recipient(TEACHER)]
    assert len(subjects) == 4  # confirmation, welcome, confirmation, goodbye
    assert "You have left" in subjects[-1]


def test_join_confirm_leave_within_a_minute_on_the_web(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
) -> None:
    token = csrf_token(client, "/lists/thpt/")
    for action, member_after in (("join", True), ("leave", False)):
        data = {"email": TEACHER, "action": action, "csrf_token": token}
        assert client.post("/lists/thpt/subscribe", data=data).status_code == 200
        work(app, settings)
        link = _LINK.search(sink.for_recipient(TEACHER)[-1].text)
        assert link is not None, action
        page = client.get(link.group(1)).get_data(as_text=True)
        form = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert form is not None
        assert client.post(link.group(1), data={"csrf_token": form.group(1)}).status_code == 200
        assert (find_member(db.session(), thpt, TEACHER) is not None) is member_after
    work(app, settings)
    assert "You have left" in _subject(sink.for_recipient(TEACHER)[-1])


def test_the_web_form_says_when_to_try_again(
    app: Flask, settings: Settings, server: Controller, thpt: MailingList, client: FlaskClient
) -> None:
    token = csrf_token(client, "/lists/thpt/")
    data = {"email": TEACHER, "action": "join", "csrf_token": token}
    answers = [client.post("/lists/thpt/subscribe", data=data) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert re.search(r"\d\d:\d\d", answers[-1].get_data(as_text=True))


def test_help_in_subject_and_body_is_answered_once(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _to_request(settings, TEACHER, "help", "help\nhelp")
    _to_request(settings, "bob@other.example", "trợ giúp", "tro giup\nsubscribe\nhelp")
    work(app, settings)
    assert "Help for" in _subject(_only(sink, TEACHER))
    assert "Help for" in _subject(_only(sink, "bob@other.example"))


def test_mail_from_a_list_or_a_program_is_never_answered(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    for extra in (
        "List-Id: <other.lists.example>\n",
        "Precedence: bulk\n",
        "Auto-Submitted: auto-generated\n",
    ):
        raw = _mail(TEACHER, "thpt-request@example.org", "help", extra, extra)
        send(settings, TEACHER, ["thpt-request@example.org"], raw)
    work(app, settings)
    assert sink.for_recipient(TEACHER) == []


def test_a_reply_from_another_address_gets_one_explanation(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    secretary = "vanthu@truong.edu.vn"
    send(
        settings,
        TEACHER,
        ["dangky-thpt@example.org"],
        _mail(TEACHER, "dangky-thpt@example.org", "x", "vào"),
    )
    work(app, settings)
    confirmation = _only(sink, TEACHER)
    for n in range(3):
        target, reply = _reply_to(confirmation, secretary, f"Đồng ý {n}.")
        send(settings, secretary, [target], reply)
    work(app, settings)
    assert find_member(db.session(), thpt, TEACHER) is None
    answers = [r for r in sink.for_recipient(secretary) if "reply from the address" in r.text]
    assert len(answers) == 1
    assert _LINK.search(answers[0].text) is not None


def test_a_used_confirmation_by_reply_is_explained_to_the_sender(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    send(
        settings,
        TEACHER,
        ["dangky-thpt@example.org"],
        _mail(TEACHER, "dangky-thpt@example.org", "x", "vào"),
    )
    work(app, settings)
    _confirm_by_reply(app, settings, sink, TEACHER)
    target, reply = _reply_to(sink.for_recipient(TEACHER)[0], TEACHER, "lại")
    send(settings, TEACHER, [target], reply)
    work(app, settings)
    assert "already used" in sink.for_recipient(TEACHER)[-1].text


def test_the_limiter_counts_actions_apart_within_one_budget(app: Flask) -> None:
    session, now = db.session(), utcnow()
    address = "x@y.example"
    assert all(reply_verdict(session, address, "join", "1", now).allowed for _ in range(2))
    refused = reply_verdict(session, address, "join", "1", now)
    assert not refused.allowed
    assert refused.retry_at is not None
    assert refused.retry_at - now == timedelta(hours=1)
    assert reply_verdict(session, address, "leave", "1", now).allowed  # leave has its own
    assert reply_verdict(session, address, "join", "2", now).allowed  # another list
    assert reply_verdict(session, address, "help", "1", now).allowed  # 5 of the budget
    assert not reply_verdict(session, address, "help", "1", now).allowed
    later = now + timedelta(hours=1, seconds=1)
    assert reply_verdict(session, address, "join", "1", later).allowed


def test_a_confirming_mail_with_more_commands_gets_only_its_welcome(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    raw = _mail(TEACHER, "dangky-thpt@example.org", "x", "vào")
    send(settings, TEACHER, ["dangky-thpt@example.org"], raw)
    work(app, settings)
    token = re.search(r"confirm ([0-9a-f]{40})", _subject(_only(sink, TEACHER)))
    assert token is not None
    _to_request(settings, TEACHER, "lệnh", f"confirm {token.group(1)}\nhelp\nwho")
    work(app, settings)
    assert find_member(db.session(), thpt, TEACHER) is not None
    subjects = [_subject(r) for r in sink.for_recipient(TEACHER)]
    assert len(subjects) == 2
    assert "Chào mừng" in subjects[-1]


def test_old_rate_events_are_pruned(app: Flask) -> None:
    session, now = db.session(), utcnow()
    reply_verdict(session, "old@y.example", "help", "1", now - timedelta(days=3))
    reply_verdict(session, "new@y.example", "help", "1", now)
    assert prune(session, None, now) == 2  # the old reply's action and budget events
    assert session.scalar(select(func.count(RateEvent.id))) == 2
