"""Vietnamese typed in the old TCVN3 and VNI encodings, end to end: a mail sent over SMTP and a
draft uploaded as a `.VnTime` DOCX are archived as readable Unicode and found by search."""

from __future__ import annotations

import html
import io
import re
from email.header import Header

import docx
from aiosmtpd.controller import Controller
from docx.oxml.ns import qn
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from archive.models import MailingList, Message
from forum.drafting.models import DraftDocument
from forum.extensions import db
from forum.settings import Settings
from tests.integration.mail.conftest import MEMBERS, send, work
from tests.smtp_sink import Sink
from tests.web import csrf_token, sign_in_as_admin

TCVN3_SUBJECT = "B¸o c¸o sè liÖu th¸ng 3"
TCVN3_BODY = (
    "KÝnh göi c¸c tr\xadêng,\n\n"
    "Phßng Gi¸o dôc göi b¸o c¸o sè liÖu häc sinh th¸ng 3 cña c¸c tr\xadêng THCS.\n"
    "§Ò nghÞ c¸c tr\xadêng kiÓm tra vµ ph¶n håi tr\xadíc ngµy 15.\n"
)
VNI_BODY = "Ñeà nghò caùc tröôøng noäp keá hoaïch daïy theâm tröôùc ngaøy 20.\n"


def _legacy_mail(message_id: str, subject: str, body: str, charset: str) -> bytes:
    encoded = Header(subject, charset).encode()
    head = (
        f"From: Phong GD <{MEMBERS[0]}>\nTo: thpt@example.org\nSubject: {encoded}\n"
        f"Message-ID: <{message_id}>\nDate: Mon, 02 Mar 2026 08:00:00 +0700\n"
        f"MIME-Version: 1.0\nContent-Type: text/plain; charset={charset}\n"
        "Content-Transfer-Encoding: 8bit\n\n"
    )
    return head.encode("ascii") + body.encode("latin-1")


def test_a_tcvn3_mail_over_smtp_is_archived_readable_and_searchable(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    send(settings, MEMBERS[0], ["thpt@example.org"], _legacy_mail(
        "tcvn3@pgd", TCVN3_SUBJECT, TCVN3_BODY, "windows-1252"
    ))  # fmt: skip
    vni = "Keá hoaïch daïy theâm naêm hoïc môùi"
    send(settings, MEMBERS[0], ["thpt@example.org"], _legacy_mail(
        "vni@pgd", vni, VNI_BODY, "iso-8859-1"
    ))  # fmt: skip
    work(app, settings)
    tcvn3 = db.session.scalars(select(Message).where(Message.message_id == "tcvn3@pgd")).one()
    assert tcvn3.subject == "Báo cáo số liệu tháng 3"
    assert "Phòng Giáo dục gửi báo cáo số liệu học sinh tháng 3" in tcvn3.body_text
    assert "Đề nghị các trường kiểm tra và phản hồi trước ngày 15." in tcvn3.body_text
    vni_message = db.session.scalars(select(Message).where(Message.message_id == "vni@pgd")).one()
    assert vni_message.subject == "Kế hoạch dạy thêm năm học mới"
    assert "Đề nghị các trường nộp kế hoạch dạy thêm" in vni_message.body_text

    client = app.test_client()
    page = html.unescape(client.get(f"/lists/thpt/message/{tcvn3.message_id_hash}/").text)
    assert "Báo cáo số liệu tháng 3" in page
    assert "kiểm tra và phản hồi" in page
    for query in ("số liệu", "so lieu hoc sinh", "phản hồi"):
        assert "Báo cáo số liệu tháng 3" in _search(client, query), query
    assert "Kế hoạch dạy thêm năm học mới" in _search(client, "dạy thêm")
    assert TCVN3_BODY.encode("latin-1") in tcvn3.raw.replace(b"\r\n", b"\n")  # kept as it came


def _search(client: FlaskClient, query: str) -> str:
    page = client.get("/search", query_string={"q": query}).text
    return html.unescape(re.sub(r"</?mark>", "", page))


def _vntime_docx() -> bytes:
    document = docx.Document()
    lines = [
        (".VnTimeH", "th«ng t\xad"),
        (".VnTime", "Quy ®Þnh vÒ ®¸nh gi¸ häc sinh"),
        (".VnTime", "§iÒu 1. Ph¹m vi ®iÒu chØnh"),
        (".VnTime", "Th«ng t\xad nµy quy ®Þnh ®¸nh gi¸ häc sinh trung häc c¬ së."),
        (".VnTime", "§iÒu 2. Nguyªn t¾c ®¸nh gi¸"),
        (".VnTime", "§¸nh gi¸ ph¶i kh¸ch quan, c«ng b»ng."),
    ]
    for font, text in lines:
        run = document.add_paragraph().add_run(text)
        fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi"):
            fonts.set(qn(attribute), font)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_vntime_docx_draft_becomes_readable_searchable_text(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
    runner: FlaskCliRunner,
) -> None:
    sign_in_as_admin(client, runner)
    data = {
        "csrf_token": csrf_token(client, "/drafts/new"),
        "title": "",
        "unit": "Vụ Giáo dục Trung học",
        "deadline": "2099-12-31",
        "lists": [str(thpt.id)],
        "file": (io.BytesIO(_vntime_docx()), "du-thao-vntime.docx"),
    }
    response = client.post("/drafts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    draft = db.session.scalars(select(DraftDocument)).one()
    assert draft.title == "Thông tư Quy định về đánh giá học sinh"
    assert "Điều 1. Phạm vi điều chỉnh" in draft.text
    page = html.unescape(client.get(f"/drafts/{draft.id}/").text)
    assert "Phạm vi điều chỉnh" in page
    assert "khách quan, công bằng" in page
    work(app, settings)
    announcement = sink.for_recipient(MEMBERS[0])[0]
    assert "Điều 2. Nguyên tắc đánh giá" in announcement.text
    assert "Thông tư Quy định về đánh giá học sinh" in _search(client, "khách quan")
