"""Posting on the web: a real message through the same pipeline, threaded, delivered."""

from __future__ import annotations

import io

from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from archive.models import MailingList, Message
from forum.extensions import db
from forum.settings import Settings
from tests.integration.mail.conftest import MEMBERS, post_mail, send, work
from tests.smtp_sink import Sink
from tests.web import csrf_token, sign_in_by_link

AUTHOR = MEMBERS[1]


def test_a_web_reply_is_delivered_with_threading_headers_and_threads_in_the_archive(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
) -> None:
    send(
        settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "root@school", "Lịch thi")
    )
    work(app, settings)
    root = db.session.scalars(select(Message)).one()
    path = f"/lists/thpt/message/{root.message_id_hash}/reply"
    assert client.get(path).status_code == 302  # sign in first
    sign_in_by_link(app, settings, sink, client, AUTHOR)
    assert "Lịch họp tháng 12 gửi kèm theo đây." in client.get(path).text  # what is answered
    token = csrf_token(client, path)
    preview = client.post(
        path,
        data={
            "csrf_token": token,
            "subject": "Re: Lịch thi",
            "text": "**Đồng ý** <script>x</script>",
            "action": "preview",
        },
    )
    html = preview.get_data(as_text=True)
    assert "<strong>Đồng ý</strong>" in html
    assert "<script>x" not in html
    injected = client.post(
        path,
        data={
            "csrf_token": token,
            "subject": "Re\r\nBcc: all@evil.example",
            "text": "x",
            "action": "send",
        },
    )
    assert injected.status_code == 400
    sent = client.post(
        path,
        data={
            "csrf_token": token,
            "subject": "Re: Lịch thi",
            "text": "Tôi **đồng ý** với lịch thi.",
            "action": "send",
            "attachments": (io.BytesIO(b"bang diem"), "bảng điểm.txt"),
        },
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    reply = db.session.scalars(select(Message).where(Message.sender_email == AUTHOR)).one()
    assert reply.thread_id == root.thread_id  # shown at once, in the thread
    assert reply.parent_message_id == root.message_id
    assert reply.has_attachments
    thread_page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Tôi <strong>đồng ý</strong> với lịch thi." in thread_page  # its Markdown, rendered
    assert "**" not in thread_page
    work(app, settings)
    copy = sink.for_recipient(MEMBERS[2])[-1].message
    assert copy["In-Reply-To"] == f"<{root.message_id}>"
    assert root.message_id in copy["References"]
    assert copy.get_content_type() == "multipart/mixed"
    kinds = [p.get_content_type() for p in copy.walk()]
    assert "text/plain" in kinds
    assert "text/html" in kinds


def test_non_members_cannot_post_on_the_web(
    app: Flask, settings: Settings, sink: Sink, thpt: MailingList, client: FlaskClient
) -> None:
    other = "outsider@khac.edu.vn"
    from forum.lists.lists import ListSpec, ensure_list
    from forum.lists.members import add_member

    elsewhere, _ = ensure_list(db.session(), ListSpec("thcs", "THCS", ""), "example.org")
    add_member(db.session(), elsewhere, other)
    db.session.commit()
    sign_in_by_link(app, settings, sink, client, other)
    assert client.get("/lists/thpt/post").status_code == 403
    assert client.get("/lists/thcs/post").status_code == 200
    refused = client.get("/lists/thpt/post?lang=en").text
    assert "To join, send any message to dangky-thpt@example.org" in refused
    assert "notice-kind" not in client.get("/lists/thcs/post").text  # not an announcer


def test_the_preview_keeps_an_announcers_notice_choice(
    app: Flask, settings: Settings, sink: Sink, thpt: MailingList, client: FlaskClient
) -> None:
    sign_in_by_link(app, settings, sink, client, "owner@so.example")
    data = {
        "csrf_token": csrf_token(client, "/lists/thpt/post"),
        "subject": "Báo cáo số liệu",
        "text": "Đề nghị các trường gửi báo cáo.",
        "notice": "report",
        "deadline": "2026-12-05",
        "action": "preview",
    }
    page = client.post("/lists/thpt/post", data=data).text
    assert '<option value="report" selected>' in page
    assert 'name="deadline" value="2026-12-05"' in page


def test_the_list_page_fits_who_is_reading(
    app: Flask, settings: Settings, sink: Sink, thpt: MailingList, client: FlaskClient
) -> None:
    anonymous = client.get("/lists/thpt/?lang=en").text
    assert 'class="new-thread"' in anonymous  # it leads to sign-in
    assert "Join this group" in anonymous
    sign_in_by_link(app, settings, sink, client, MEMBERS[0])
    member = client.get("/lists/thpt/?lang=en").text
    assert "You are a member of this group." in member
    assert "Join this group" not in member
    outsider = app.test_client()
    from forum.lists.lists import ListSpec, ensure_list
    from forum.lists.members import add_member

    elsewhere, _ = ensure_list(db.session(), ListSpec("thcs", "THCS", ""), "example.org")
    add_member(db.session(), elsewhere, "outsider@khac.edu.vn")
    db.session.commit()
    sign_in_by_link(app, settings, sink, outsider, "outsider@khac.edu.vn")
    page = outsider.get("/lists/thpt/?lang=en").text
    assert 'class="new-thread"' not in page
    assert 'value="outsider@khac.edu.vn"' in page  # the join form knows who they are
