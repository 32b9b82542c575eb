"""What automatic mail and delivered copies say: the registration alias first, Vietnamese
commands with diacritics, a visible leave link under each copy, the acknowledgement paragraph
set apart, and a receipt for acknowledging."""

from __future__ import annotations

import re

from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from archive.models import MailingList
from archive.own_text import own_text
from forum.posting.footers import SEPARATOR
from forum.settings import Settings
from tests.integration.mail.conftest import MEMBERS, post_mail, send, work
from tests.integration.mail.test_membership_flow import _mail, _reply_to, _subject
from tests.integration.mail.test_notices import FOCAL_THPT, _send_notice, _setup
from tests.smtp_sink import Sink
from tests.web import csrf_token

TEACHER = "lan@truong.edu.vn"
LEAVE_LINK = "http://forum.test/lists/thpt/leave"


def test_help_names_the_registration_alias_and_spells_commands_with_diacritics(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    raw = _mail(TEACHER, "thpt-request@example.org", "tro giup", "")
    send(settings, TEACHER, ["thpt-request@example.org"], raw)
    work(app, settings)
    (help_mail,) = sink.for_recipient(TEACHER)
    text = help_mail.text
    assert text.index("dangky-thpt@example.org") < text.index("thpt-request@example.org")
    assert "thpt-join@" not in text
    for command in ("đăng ký", "hủy đăng ký", "xác nhận", "trợ giúp"):
        assert command in text
    send(settings, TEACHER, ["thpt-request@example.org"], _mail(TEACHER, "x", "dang ky", ""))
    work(app, settings)
    assert "[confirm " in _subject(sink.for_recipient(TEACHER)[-1])  # accepted without


def test_confirmation_welcome_and_goodbye_name_the_registration_alias(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    send(settings, TEACHER, ["thpt-join@example.org"], _mail(TEACHER, "thpt-join", "x", "x"))
    work(app, settings)
    target, reply = _reply_to(sink.for_recipient(TEACHER)[-1], TEACHER)
    send(settings, TEACHER, [target], reply)
    work(app, settings)
    send(settings, TEACHER, ["thpt-leave@example.org"], _mail(TEACHER, "thpt-leave", "x", "y"))
    work(app, settings)
    target, reply = _reply_to(sink.for_recipient(TEACHER)[-1], TEACHER)
    send(settings, TEACHER, [target], reply)
    work(app, settings)
    mails = sink.for_recipient(TEACHER)
    assert len(mails) == 4  # confirmation, welcome, confirmation, goodbye
    for mail in mails:
        assert "dangky-thpt@example.org" in mail.text, _subject(mail)
        assert "thpt-join@" not in mail.text


def test_each_copy_of_a_discussion_list_shows_a_leave_link_below_a_separator(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
    runner: FlaskCliRunner,
) -> None:
    send(settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "p1@x"))
    work(app, settings)
    payload = sink.for_recipient(MEMBERS[1])[0].message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    copy = payload.decode("utf-8").replace("\r\n", "\n")
    footer = copy[copy.index(SEPARATOR) :]
    assert f"Rời nhóm Trung học phổ thông: {LEAVE_LINK}" in footer
    assert f"To leave Trung học phổ thông: {LEAVE_LINK}" in footer
    assert "Rời nhóm" not in own_text(copy)  # our reply reader knows it for a footer
    assert own_text(copy).endswith("Lịch họp tháng 12 gửi kèm theo đây.")
    page = client.get("/lists/thpt/leave")
    assert page.status_code == 200
    assert 'value="leave"' in page.get_data(as_text=True)
    assert runner.invoke(args=["policy", "thpt", "unsubscribe_footer", "off"]).exit_code == 0
    send(settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "p2@x"))
    work(app, settings)
    assert LEAVE_LINK not in sink.for_recipient(MEMBERS[1])[-1].text


def test_an_announce_list_has_no_leave_footer_unless_turned_on(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    runner: FlaskCliRunner,
) -> None:
    runner.invoke(args=["policy", "thpt", "posting", "announce"])
    send(settings, "owner@so.example", ["thpt@example.org"], post_mail("owner@so.example", "a@x"))
    work(app, settings)
    assert LEAVE_LINK not in sink.for_recipient(MEMBERS[1])[-1].text
    runner.invoke(args=["policy", "thpt", "unsubscribe_footer", "on"])
    send(settings, "owner@so.example", ["thpt@example.org"], post_mail("owner@so.example", "b@x"))
    work(app, settings)
    assert LEAVE_LINK in sink.for_recipient(MEMBERS[1])[-1].text


def test_the_acknowledge_paragraph_is_set_apart_and_acknowledging_sends_a_receipt(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
    runner: FlaskCliRunner,
) -> None:
    _setup(thpt)
    _send_notice(app, settings)
    copy = sink.for_recipient(FOCAL_THPT)[0].text.replace("\r\n", "\n")
    before, _, after = copy.partition(f"\n{SEPARATOR}\n")
    assert after.startswith("Bạn là đầu mối")  # the paragraph comes right below the line
    assert "/notices/ack/" not in before
    link = re.search(r"http://forum\.test(/notices/ack/\S+)", after)
    assert link is not None
    token = csrf_token(client, link.group(1))
    client.post(link.group(1), data={"csrf_token": token})
    client.post(link.group(1), data={"csrf_token": token})  # twice: one receipt
    work(app, settings)
    receipts = [m for m in sink.for_recipient(FOCAL_THPT) if "Đã xác nhận" in _subject(m)]
    assert len(receipts) == 1
    assert "Báo cáo số liệu học sinh" in receipts[0].text


def test_no_receipt_when_the_groups_turn_it_off(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
    runner: FlaskCliRunner,
) -> None:
    _setup(thpt)
    for name in ("thpt", "thcs"):
        assert runner.invoke(args=["policy", name, "ack_receipt", "off"]).exit_code == 0
    _send_notice(app, settings)
    link = re.search(
        r"http://forum\.test(/notices/ack/\S+)", sink.for_recipient(FOCAL_THPT)[0].text
    )
    assert link is not None
    client.post(link.group(1), data={"csrf_token": csrf_token(client, link.group(1))})
    work(app, settings)
    assert len(sink.for_recipient(FOCAL_THPT)) == 1


def test_automatic_mail_keeps_its_links_whole_in_the_raw_bytes(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    send(settings, TEACHER, ["dangky-thpt@example.org"], _mail(TEACHER, "dangky-thpt", "x", "y"))
    send(settings, "bob@other.example", ["thpt-request@example.org"], _mail("b", "r", "help", ""))
    work(app, settings)
    (confirmation,) = sink.for_recipient(TEACHER)
    token = re.search(r"confirm ([0-9a-f]{40})", _subject(confirmation))
    assert token is not None
    assert f"http://forum.test/confirm/{token.group(1)}".encode() in confirmation.data
    assert "Chúng tôi nhận được yêu cầu".encode() in confirmation.data
    for mail in (*sink.for_recipient(TEACHER), *sink.for_recipient("bob@other.example")):
        assert b"Content-Transfer-Encoding: 8bit" in mail.data
        assert b"base64" not in mail.data.lower()
