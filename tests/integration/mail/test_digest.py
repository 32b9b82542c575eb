"""Digest members get one MIME digest a day instead of each message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiosmtpd.controller import Controller
from flask import Flask

from archive.models import MailingList
from forum.extensions import db
from forum.lists.members import find_member
from forum.mail.digest import SEPARATOR, send_due_digests
from forum.settings import Settings
from tests.integration.mail.conftest import MEMBERS, post_mail, send, work
from tests.smtp_sink import Sink

DIGEST_READER = MEMBERS[2]


def test_digest_members_get_one_daily_digest_of_new_messages(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    member = find_member(db.session(), thpt, DIGEST_READER)
    assert member is not None
    member.delivery_mode = "digest"
    db.session.commit()
    for n in range(2):
        send(
            settings,
            MEMBERS[0],
            ["thpt@example.org"],
            post_mail(MEMBERS[0], f"d{n}@x", f"Báo cáo số {n}"),
        )
    work(app, settings)
    assert sink.for_recipient(DIGEST_READER) == []
    assert len(sink.for_recipient(MEMBERS[1])) == 2

    now = datetime(2026, 11, 26, 0, 30, tzinfo=UTC)  # 07:30 in Vietnam: after the 06:00 digest
    assert send_due_digests(db.session(), settings, now) == 1
    assert send_due_digests(db.session(), settings, now + timedelta(hours=1)) == 0  # once a day
    db.session.commit()
    work(app, settings)
    (digest,) = sink.for_recipient(DIGEST_READER)
    message = digest.message
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.get_payload()] == ["text/plain", "text/html"]
    text = digest.text
    assert "Báo cáo số 0" in text
    assert "Báo cáo số 1" in text
    assert SEPARATOR in text
    assert message["List-Id"] == "<thpt.example.org>"
    assert "/lists/thpt/unsubscribe/" in " ".join(str(message["List-Unsubscribe"]).split())
    leave = f"{settings.base_url}/lists/thpt/leave"  # under the digest, as under each post
    assert f"Rời nhóm Trung học phổ thông: {leave}" in text
    assert f"To leave Trung học phổ thông: {leave}" in text
    html_part = message.get_payload()[1].get_payload(decode=True).decode("utf-8")
    assert f'<a href="{leave}">{leave}</a>' in html_part

    six = datetime(2026, 11, 26, 23, 0, tzinfo=UTC)  # 06:00 on the 27th in Vietnam
    assert send_due_digests(db.session(), settings, six) == 0  # nothing new
    send(settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "d2@x", "Thông báo mới"))
    work(app, settings)
    before_six = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)  # 05:30: not yet
    assert send_due_digests(db.session(), settings, before_six) == 0
    assert send_due_digests(db.session(), settings, six) == 1
    db.session.commit()
    work(app, settings)
    latest = sink.for_recipient(DIGEST_READER)[-1].text
    assert "Thông báo mới" in latest
    assert "Báo cáo số 0" not in latest
