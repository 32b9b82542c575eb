"""Moderating confidentiality holds, over real SMTP and the web: the summary names where the
mark is, one word never releases a MẬT post, the sender hears of every held post with why."""

from __future__ import annotations

from email.utils import parseaddr

from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from archive.models import MailingList, Message
from forum.extensions import db
from forum.lists.lists import policy_of
from forum.models import HeldPost
from forum.posting.summaries import decision_of, send_summaries
from forum.settings import Settings
from tests.integration.mail.conftest import MEMBERS, post_mail, send, work
from tests.integration.mail.test_confidentiality_holds import _with_attachment
from tests.smtp_sink import Sink
from tests.web import csrf_token, sign_in_by_link

OWNER = "owner@so.example"
STRANGER = "hieutruong@truong-moi.edu.vn"


def _summary(app: Flask, settings: Settings, sink: Sink) -> tuple[str, str]:
    assert send_summaries(db.session(), settings) == 1
    db.session.commit()
    work(app, settings)
    notice = sink.for_recipient(OWNER)[-1]
    return parseaddr(str(notice.message["Reply-To"]))[1], notice.text


def _reply(settings: Settings, to: str, first_line: str, n: int) -> None:
    raw = (
        f"From: {OWNER}\nTo: {to}\nSubject: Re: held\nMessage-ID: <r{n}@so.example>\n\n"
        f"{first_line}\n"
    ).encode()
    send(settings, OWNER, [to], raw)


def _hold_one_ordinary_and_one_marked(app: Flask, settings: Settings) -> None:
    send(settings, STRANGER, ["thpt@example.org"], post_mail(STRANGER, "ask@x", "Xin hỏi lịch"))
    marked = _with_attachment(MEMBERS[0], "De_thi_HSG_TUYET_MAT.docx")
    send(settings, MEMBERS[0], ["thpt@example.org"], marked)
    work(app, settings)


def test_duyet_releases_the_ordinary_post_and_says_which_marked_one_still_waits(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _hold_one_ordinary_and_one_marked(app, settings)
    reply_to, text = _summary(app, settings, sink)
    assert "De_thi_HSG_«TUYET_MAT».docx" in text  # the file, with the mark shown
    assert text.index("De_thi_HSG") < text.index("Xin hỏi lịch")  # marked posts come first
    assert "1. " in text
    assert "duyệt 1" in text

    _reply(settings, reply_to, "duyệt", 1)
    work(app, settings)
    states = {h.subject: h.state for h in db.session.scalars(select(HeldPost))}
    assert states == {"Xin hỏi lịch": "approved", "Gửi đề thi chọn học sinh giỏi": "held"}
    assert db.session.scalars(select(Message.subject)).all() == ["Xin hỏi lịch"]
    answer = sink.for_recipient(OWNER)[-1].text
    assert "Xin hỏi lịch" in answer
    assert "Gửi đề thi chọn học sinh giỏi" in answer  # still waits, and says so
    assert "duyệt 1" in answer

    _reply(settings, reply_to, "duyệt 1", 2)  # an explicit decision on the marked post
    work(app, settings)
    assert {h.state for h in db.session.scalars(select(HeldPost))} == {"approved"}


def test_the_sender_is_told_of_every_held_post_with_the_reason(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    for n, subject in enumerate(["[MẬT] Kế hoạch kiểm tra", "TUYỆT MẬT - Đề thi"]):
        send(settings, MEMBERS[1], ["thpt@example.org"], post_mail(MEMBERS[1], f"m{n}@x", subject))
    for n in range(3):  # a stranger's address (maybe forged) hears once a day at most
        send(settings, STRANGER, ["thpt@example.org"], post_mail(STRANGER, f"s{n}@x", "Hỏi"))
    work(app, settings)
    told = sink.for_recipient(MEMBERS[1])
    assert len(told) == 2
    assert "TUYỆT MẬT" in told[1].text
    assert "in the subject" in told[1].text or "trong tiêu đề" in told[1].text
    assert len(sink.for_recipient(STRANGER)) == 1


def test_bulk_approval_on_the_web_asks_first_when_a_marked_post_is_chosen(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
) -> None:
    _hold_one_ordinary_and_one_marked(app, settings)
    sign_in_by_link(app, settings, sink, client, OWNER)
    page = client.get("/moderation/thpt/").get_data(as_text=True)
    assert "De_thi_HSG_<mark>TUYET_MAT</mark>.docx" in page
    ids = [str(h.id) for h in db.session.scalars(select(HeldPost))]
    token = csrf_token(client, "/moderation/thpt/")
    asked = client.post(
        "/moderation/thpt/", data={"csrf_token": token, "action": "approve", "held": ids}
    )
    assert asked.status_code == 409
    assert asked.mimetype == "text/html"
    assert "confirm_marked" in asked.get_data(as_text=True)
    assert {h.state for h in db.session.scalars(select(HeldPost))} == {"held"}
    done = client.post(
        "/moderation/thpt/",
        data={"csrf_token": token, "action": "approve", "held": ids, "confirm_marked": "yes"},
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert {h.state for h in db.session.scalars(select(HeldPost))} == {"approved"}


def test_the_confidentiality_rule_is_switched_per_list(
    runner: FlaskCliRunner, thpt: MailingList
) -> None:
    result = runner.invoke(args=["policy", "thpt", "confidentiality", "off"])
    assert result.exit_code == 0, result.output
    assert policy_of(db.session(), thpt).hold_confidential is False
    runner.invoke(args=["policy", "thpt", "confidentiality", "on"])
    assert policy_of(db.session(), thpt).hold_confidential is True


def test_a_moderators_first_line_is_read_as_a_word_then_numbers_or_a_reason() -> None:
    assert decision_of("duyệt") == decision_of("Duyet")
    approve = decision_of("duyệt 1, 3")
    assert approve is not None
    assert (approve.action, approve.numbers) == ("approve", (1, 3))
    reject = decision_of("từ chối 2 Không đúng chủ đề")
    assert reject is not None
    assert (reject.numbers, reject.reason) == ((2,), "Không đúng chủ đề")
    plain = decision_of("reject off topic")
    assert plain is not None
    assert (plain.numbers, plain.reason) == ((), "off topic")
