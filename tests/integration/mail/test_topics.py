"""Muting and following topics, through real mail: the SMTP server takes the posts, the worker
fans them out, and the SMTP sink shows who got what. Muted by the copy's link, by a "tắt"
reply and on the web; a reply un-mutes; focal points still get notices; the "new topics and
those I follow" mode."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from archive.models import MailingList, Message, Thread
from forum.extensions import db
from forum.lists.members import find_member
from forum.mail.digest import send_due_digests
from forum.settings import Settings
from forum.topics.choices import choose, muted_threads
from forum.topics.models import MUTE
from tests.integration.mail.conftest import MEMBERS, post_mail, send, work
from tests.smtp_sink import Sink
from tests.web import csrf_token, sign_in_by_link

ALICE, BOB, CHI = MEMBERS
OWNER = "owner@so.example"
_MUTE_LINK = re.compile(r"http://forum\.test(/topics/mute/[A-Za-z0-9_.\-]+)")


def _post(app: Flask, settings: Settings, sender: str, mid: str, **extra: str) -> None:
    send(settings, sender, ["thpt@example.org"], post_mail(sender, mid, **extra))
    work(app, settings)


def _start(app: Flask, settings: Settings) -> None:
    _post(app, settings, BOB, "a1@x", subject="Lịch thi học kỳ")


def _reply(app: Flask, settings: Settings, sender: str, mid: str, body: str = "Đồng ý.\n") -> None:
    subject = "Re: Lịch thi học kỳ"
    _post(app, settings, sender, mid, subject=subject, in_reply_to="a1@x", body=body)


def _got(sink: Sink, who: str, mid: str) -> bool:
    return any(f"<{mid}>" in copy.text for copy in sink.for_recipient(who))


def _next_reply_skips_but_new_thread_reaches(
    app: Flask, settings: Settings, sink: Sink, who: str
) -> None:
    _reply(app, settings, BOB, "a-next@x")
    assert not _got(sink, who, "a-next@x")
    assert _got(sink, CHI if who != CHI else ALICE, "a-next@x")  # the others still get it
    assert db.session.scalar(select(Message).where(Message.message_id == "a-next@x"))
    _post(app, settings, BOB, "b1@x", subject="Tập huấn giáo viên")
    assert _got(sink, who, "b1@x")


def _client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_every_copy_carries_a_signed_mute_link_that_works(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _start(app, settings)
    copy = sink.for_recipient(ALICE)[-1]
    assert copy.message["X-Mute-Topic"].startswith("<http://forum.test/topics/mute/")
    assert "Tắt chủ đề này / Mute this topic: http://forum.test/topics/mute/" in copy.text
    link = _MUTE_LINK.search(copy.text)
    assert link is not None
    assert link.group(1) in copy.message["X-Mute-Topic"]
    other = _MUTE_LINK.search(sink.for_recipient(CHI)[-1].text)
    assert other is not None
    assert other.group(1) != link.group(1)  # each member's own

    client = _client(app)
    page = client.get(link.group(1)).get_data(as_text=True)
    assert "Lịch thi học kỳ" in page  # a GET changes nothing
    assert find_member(db.session, thpt, ALICE) is not None
    token = csrf_token(client, link.group(1))
    done = client.post(link.group(1), data={"csrf_token": token, "action": "mute"})
    assert "no longer receives the new messages" in done.get_data(as_text=True) or (
        "không nhận" in done.get_data(as_text=True)
    )
    assert client.get(link.group(1)[:-3] + "abc").status_code == 404  # forged
    _next_reply_skips_but_new_thread_reaches(app, settings, sink, ALICE)


def test_a_reply_saying_only_tat_mutes_and_is_not_posted(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _start(app, settings)
    before = len(sink.for_recipient(CHI))
    quoted = "Tắt\n\nOn Tue, Bob wrote:\n> Kính gửi các trường,\n"
    _reply(app, settings, ALICE, "mute@x", body=quoted)
    assert db.session.scalar(select(Message).where(Message.message_id == "mute@x")) is None
    assert len(sink.for_recipient(CHI)) == before  # nobody got the "tắt"
    _next_reply_skips_but_new_thread_reaches(app, settings, sink, ALICE)


def test_mute_on_the_web_listed_on_the_profile_and_undone(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _start(app, settings)
    client = _client(app)
    sign_in_by_link(app, settings, sink, client, ALICE)
    thread = db.session.scalars(select(Thread)).one()
    page = f"/lists/thpt/thread/{thread.id}/"
    assert 'value="mute"' in client.get(page).get_data(as_text=True)
    client.post(
        f"/topics/{thread.id}", data={"csrf_token": csrf_token(client, page), "action": "mute"}
    )
    assert 'value="clear"' in client.get(page).get_data(as_text=True)
    _next_reply_skips_but_new_thread_reaches(app, settings, sink, ALICE)

    profile = client.get("/me/?lang=en").get_data(as_text=True)
    assert "Muted and followed topics" in profile
    assert "Lịch thi học kỳ" in profile
    client.post(
        f"/topics/{thread.id}",
        data={"csrf_token": csrf_token(client, "/me/"), "action": "clear", "back": "profile"},
    )
    _reply(app, settings, BOB, "a-after@x")
    assert _got(sink, ALICE, "a-after@x")  # one click undid it


def test_a_reply_by_the_member_unmutes(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _start(app, settings)
    _reply(app, settings, ALICE, "mute@x", body="mute\n")
    _reply(app, settings, BOB, "a2@x")
    assert not _got(sink, ALICE, "a2@x")
    _reply(app, settings, ALICE, "a3@x", body="Trường tôi đề nghị dời lịch thi.\n")
    _reply(app, settings, BOB, "a4@x")
    assert _got(sink, ALICE, "a4@x")


def test_a_focal_point_who_muted_still_gets_a_notice_posted_in_the_thread(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    focal = find_member(db.session, thpt, CHI)
    assert focal is not None
    focal.is_focal_point = True
    db.session.commit()
    _start(app, settings)
    _reply(app, settings, CHI, "m1@x", body="tắt\n")
    _reply(app, settings, ALICE, "m2@x", body="tắt\n")
    _reply(app, settings, BOB, "a2@x")
    assert not _got(sink, CHI, "a2@x")
    subject = "[Cần phúc đáp 2026-12-20] Re: Lịch thi học kỳ"
    _post(app, settings, OWNER, "notice@x", subject=subject, in_reply_to="a1@x")
    assert _got(sink, CHI, "notice@x")  # the focal point, muted or not
    assert not _got(sink, ALICE, "notice@x")  # a member who muted: not mailed


def test_new_topics_and_those_i_follow(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    member = find_member(db.session, thpt, ALICE)
    assert member is not None
    member.delivery_mode = "topics"
    db.session.commit()
    _start(app, settings)
    assert _got(sink, ALICE, "a1@x")  # a new topic
    _reply(app, settings, BOB, "a2@x")
    assert not _got(sink, ALICE, "a2@x")  # a reply in a topic she does not follow
    _reply(app, settings, ALICE, "a3@x", body="Xin góp ý: nên thi vào buổi sáng.\n")
    _reply(app, settings, BOB, "a4@x")
    assert _got(sink, ALICE, "a4@x")  # she replied: she follows it now


def test_a_digest_shows_a_muted_topic_as_a_count(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    for reader in (ALICE, CHI):
        member = find_member(db.session, thpt, reader)
        assert member is not None
        member.delivery_mode = "digest"
    db.session.commit()
    _start(app, settings)
    thread = db.session.scalars(select(Thread)).one()
    choose(db.session, thread.id, ALICE, MUTE)
    db.session.commit()
    _reply(app, settings, BOB, "a2@x", body="Lịch thi dời sang thứ sáu.\n")
    _post(app, settings, BOB, "b1@x", subject="Tập huấn giáo viên")

    now = datetime(2026, 11, 26, 0, 30, tzinfo=UTC)  # after the 06:00 digest in Vietnam
    assert send_due_digests(db.session(), settings, now, muted=muted_threads) == 1
    db.session.commit()
    work(app, settings)
    (muted_digest,) = sink.for_recipient(ALICE)
    assert "Tập huấn giáo viên" in muted_digest.text
    assert "Lịch thi học kỳ (đã tắt: 2 thư mới)" in muted_digest.text
    assert "dời sang thứ sáu" not in muted_digest.text
    (whole,) = sink.for_recipient(CHI)
    assert "dời sang thứ sáu" in whole.text
    assert "đã tắt" not in whole.text
