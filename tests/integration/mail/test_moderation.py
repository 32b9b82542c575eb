"""Held posts: the moderators' notice, approval by reply over SMTP, and the web queue."""

from __future__ import annotations

from email.utils import parseaddr

from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from archive.models import MailingList, Message
from forum.extensions import db
from forum.models import HeldPost, InboundMessage
from forum.posting.reasons import ReasonCode, loads
from forum.posting.summaries import send_summaries
from forum.settings import Settings
from tests.integration.mail.conftest import MEMBERS, post_mail, send, work
from tests.smtp_sink import Sink
from tests.web import csrf_token, sign_in_as_admin, sign_in_by_link

OWNER = "owner@so.example"
STRANGER = "hieutruong@truong-moi.edu.vn"


def _hold_a_post(app: Flask, settings: Settings, subject: str = "Xin gửi kế hoạch") -> None:
    send(settings, STRANGER, ["thpt@example.org"], post_mail(STRANGER, "held1@x", subject))
    work(app, settings)


def _notice(app: Flask, settings: Settings, sink: Sink) -> tuple[str, str]:
    assert send_summaries(db.session(), settings) == 1
    db.session.commit()
    work(app, settings)
    (notice,) = sink.for_recipient(OWNER)
    reply_to = parseaddr(str(notice.message["Reply-To"]))[1]
    assert reply_to.startswith("thpt-confirm+mod-")
    return reply_to, notice.text


def _reply(settings: Settings, sender: str, to: str, first_line: str) -> None:
    raw = (
        f"From: {sender}\nTo: {to}\nSubject: Re: held\nMessage-ID: <{first_line[:4]}{sender}>\n\n"
        f"{first_line}\n\n> These messages are waiting for approval\n"
    ).encode()
    send(settings, sender, [to], raw)


def test_held_post_approved_by_replying_to_the_notice_reaches_every_member(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _hold_a_post(app, settings)
    held = db.session.scalars(select(HeldPost)).one()
    assert held.state == "held"
    assert ReasonCode.NONMEMBER in [r.code for r in loads(held.reasons)]
    assert sink.recipients() == [STRANGER]  # told once that the post awaits approval
    reply_to, text = _notice(app, settings, sink)
    assert "Xin gửi kế hoạch" in text
    assert send_summaries(db.session(), settings) == 0  # at most one notice an hour

    _reply(settings, MEMBERS[1], reply_to, "approve")  # not a moderator
    work(app, settings)
    assert db.session.scalars(select(HeldPost.state)).one() == "held"

    _reply(settings, OWNER, reply_to, "Duyệt")
    work(app, settings)
    db.session.expire_all()
    assert db.session.scalars(select(HeldPost.state)).one() == "approved"
    for member in MEMBERS:
        assert len(sink.for_recipient(member)) == 1
    assert db.session.scalars(select(Message.subject)).one() == "Xin gửi kế hoạch"


def test_a_reply_can_reject_with_a_reason(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _hold_a_post(app, settings)
    reply_to, _ = _notice(app, settings, sink)
    _reply(settings, OWNER, reply_to, "từ chối Không đúng chủ đề của nhóm")
    work(app, settings)
    assert db.session.scalars(select(HeldPost.state)).one() == "rejected"
    rejection = sink.for_recipient(STRANGER)[-1].text
    assert "Không đúng chủ đề của nhóm" in rejection


def test_confidential_posts_from_members_are_held(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    send(
        settings,
        MEMBERS[0],
        ["thpt@example.org"],
        post_mail(MEMBERS[0], "mat1@x", "[MẬT] Đề thi học kỳ I"),
    )
    send(
        settings,
        MEMBERS[0],
        ["thpt@example.org"],
        post_mail(MEMBERS[0], "mat2@x", "Mất điện chiều nay"),
    )
    work(app, settings)
    held = db.session.scalars(select(HeldPost)).one()
    assert ReasonCode.CONFIDENTIAL in [r.code for r in loads(held.reasons)]
    assert db.session.scalars(select(Message.subject)).all() == ["Mất điện chiều nay"]


def test_the_web_queue_approves_for_signed_in_moderators_only(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
    runner: FlaskCliRunner,
) -> None:
    _hold_a_post(app, settings)
    assert client.get("/moderation/thpt/").status_code == 302  # sign in first
    sign_in_as_admin(client, runner)
    page = client.get("/moderation/thpt/").get_data(as_text=True)
    assert "Xin gửi kế hoạch" in page
    assert "người gửi không phải thành viên" in page  # the reason, in Vietnamese
    assert "Kính gửi các trường" in page  # a preview of the body, not of the raw source
    assert "Content-Transfer-Encoding" not in page
    held_id = db.session.scalars(select(HeldPost.id)).one()
    assert db.session.scalars(select(InboundMessage.state)).one() == "held"
    no_token = client.post("/moderation/thpt/", data={"held": str(held_id), "action": "approve"})
    assert no_token.status_code == 400  # CSRF
    done = client.post(
        "/moderation/thpt/",
        data={
            "held": str(held_id),
            "action": "accept",
            "csrf_token": csrf_token(client, "/moderation/thpt/"),
        },
    )
    assert done.status_code == 302
    told = client.get(done.headers["Location"]).text
    assert "Đã duyệt 1 thư; từ nay người gửi được gửi thẳng vào nhóm." in told
    db.session.expire_all()
    assert db.session.scalars(select(InboundMessage.state)).one() == "done"  # waits no more
    work(app, settings)
    for member in MEMBERS:
        assert len(sink.for_recipient(member)) == 1
    send(settings, STRANGER, ["thpt@example.org"], post_mail(STRANGER, "held2@x", "Lần sau"))
    work(app, settings)
    assert (
        db.session.scalar(select(Message.id).where(Message.subject == "Lần sau")) is not None
    )  # accepted sender


def test_members_who_are_not_moderators_get_403(
    app: Flask, settings: Settings, sink: Sink, thpt: MailingList, client: FlaskClient
) -> None:
    sign_in_by_link(app, settings, sink, client, MEMBERS[1])
    assert client.get("/moderation/thpt/").status_code == 403
    token = csrf_token(client, "/")
    assert (
        client.post(
            "/moderation/thpt/", data={"held": "1", "action": "approve", "csrf_token": token}
        ).status_code
        == 403
    )


def test_list_policy_decides_what_happens_to_non_members(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    runner: FlaskCliRunner,
) -> None:
    assert "nonmember_action = 'hold'" in runner.invoke(args=["policy", "thpt"]).output
    assert runner.invoke(args=["policy", "thpt", "nonmember_action", "reject"]).exit_code == 0
    send(settings, STRANGER, ["thpt@example.org"], post_mail(STRANGER, "rej@x", "Quảng cáo"))
    work(app, settings)
    assert db.session.scalars(select(HeldPost.state)).one() == "rejected"
    assert (
        "did not accept" in sink.for_recipient(STRANGER)[-1].text
        or "không chấp nhận" in sink.for_recipient(STRANGER)[-1].text
    )
    runner.invoke(args=["policy", "thpt", "nonmember_action", "discard"])
    send(settings, STRANGER, ["thpt@example.org"], post_mail(STRANGER, "dis@x", "Quảng cáo 2"))
    work(app, settings)
    assert db.session.scalar(select(Message.id)) is None
    assert runner.invoke(args=["policy", "thpt", "posting", "sometimes"]).exit_code != 0


def test_announce_lists_hold_members_but_not_accepted_senders(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    runner: FlaskCliRunner,
) -> None:
    runner.invoke(args=["policy", "thpt", "posting", "announce"])
    send(settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "ann1@x", "Thông báo"))
    send(settings, OWNER, ["thpt@example.org"], post_mail(OWNER, "ann2@x", "Công văn của Sở"))
    work(app, settings)
    stored = db.session.scalars(select(HeldPost.reasons)).one()
    assert [r.code for r in loads(stored)] == [ReasonCode.ANNOUNCE_ONLY]
    assert db.session.scalars(select(Message.subject)).all() == ["Công văn của Sở"]


def test_owners_see_the_delivery_status_of_their_lists_messages(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
) -> None:
    from forum.models import OutgoingMessage

    send(settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "status@x", "Kế hoạch"))
    work(app, settings)
    outgoing_id = db.session.scalars(
        select(OutgoingMessage.id).where(OutgoingMessage.kind == "post")
    ).one()

    sign_in_by_link(app, settings, sink, client, MEMBERS[1])
    assert client.get(f"/admin/outgoing/{outgoing_id}/").status_code == 403
    sign_in_by_link(app, settings, sink, client, OWNER)
    page = client.get(f"/admin/outgoing/{outgoing_id}/?state=sent")
    assert page.status_code == 200
    assert MEMBERS[2] in page.get_data(as_text=True)
    assert "đã gửi tới" in page.text  # the state, in Vietnamese
