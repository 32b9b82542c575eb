"""Confidentiality holds over real SMTP: everyday words and disclaimers pass, a stamped
attachment name waits for a moderator."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP

from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from archive.models import MailingList, Message
from forum.extensions import db
from forum.models import HeldPost
from forum.posting.reasons import ReasonCode, loads
from forum.settings import Settings
from tests.integration.mail.conftest import MEMBERS, post_mail, send, work
from tests.smtp_sink import Sink

EVERYONE = sorted([*MEMBERS, "owner@so.example"])
FOOTER = (
    "Kính gửi các trường,\nPhòng gửi hướng dẫn kèm theo, đề nghị triển khai.\n\n"
    "Trân trọng,\nNguyễn Thị Lan\nPhòng GD&ĐT\n\n"
    "Email này có thể chứa thông tin bảo mật. Nếu bạn không phải là người nhận, vui lòng\n"
    "xóa email và báo cho người gửi.\n\n"
    "CONFIDENTIALITY NOTICE: This email is confidential. If you are not the intended\n"
    "recipient, please delete it.\n"
)


def _with_attachment(sender: str, filename: str) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "thpt@example.org"
    mail["Subject"] = "Gửi đề thi chọn học sinh giỏi"
    mail["Message-ID"] = "<dethi@truong.edu.vn>"
    mail["Date"] = "Tue, 14 Apr 2026 08:00:00 +0700"
    mail.set_content("Kính gửi thầy cô,\nĐề thi gửi kèm theo.\n")
    mail.add_attachment(
        b"PK\x03\x04 not really a document",
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
        filename=filename,
    )
    return mail.as_bytes(policy=SMTP)


def test_a_bao_mat_subject_with_a_disclaimer_footer_reaches_every_member(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    subject = "Hướng dẫn bảo mật thông tin cá nhân học sinh"
    send(
        settings,
        MEMBERS[0],
        ["thpt@example.org"],
        post_mail(MEMBERS[0], "bm@x", subject, body=FOOTER),
    )
    work(app, settings)
    assert db.session.scalars(select(HeldPost)).all() == []
    assert db.session.scalars(select(Message.subject)).all() == [subject]
    assert sorted(sink.recipients()) == EVERYONE


def test_an_underscore_named_tuyet_mat_attachment_is_held(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    send(
        settings,
        MEMBERS[0],
        ["thpt@example.org"],
        _with_attachment(MEMBERS[0], "De_thi_HSG_TUYET_MAT.docx"),
    )
    work(app, settings)
    held = db.session.scalars(select(HeldPost)).one()
    (reason,) = loads(held.reasons)
    assert reason.code is ReasonCode.CONFIDENTIAL
    assert reason.param("mark") == "TUYỆT MẬT"
    assert reason.param("source") == "De_thi_HSG_TUYET_MAT.docx"
    assert db.session.scalars(select(Message)).all() == []
    assert sink.recipients() == [MEMBERS[0]]  # only the sender, told that the post waits
