"""In a real browser: a moderator sees where a held post's confidentiality mark is, highlighted,
and approving it in bulk asks first."""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any

import pytest
from flask import Flask

from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from forum.mail.inbound import enqueue_inbound
from forum.runner import receive_once
from forum.settings import Settings
from tests.smtp_sink import Sink
from tests.web import deliver

pytestmark = pytest.mark.e2e
OWNER = "pho.phong@so.example"
TEACHER = "co.hoa@truong.edu.vn"


def _marked_post() -> bytes:
    mail = EmailMessage()
    mail["From"] = f"Cô Hoa <{TEACHER}>"
    mail["To"] = "thpt@example.org"
    mail["Subject"] = "Gửi đề thi chọn học sinh giỏi"
    mail["Message-ID"] = "<dethi@truong.edu.vn>"
    mail.set_content("Kính gửi thầy cô,\nĐề thi gửi kèm theo.\n")
    mail.add_attachment(b"PK", "application", "octet-stream", filename="De_thi_HSG_TUYET_MAT.docx")
    return mail.as_bytes()


def test_the_moderation_queue_highlights_the_mark_and_asks_before_releasing_it(
    browser: Any, live_server: str, app: Flask, settings: Settings, sink: Sink
) -> None:
    mlist, _ = ensure_list(db.session(), ListSpec("thpt", "Trung học phổ thông", ""), "example.org")
    add_member(db.session(), mlist, TEACHER, "Cô Hoa")
    add_member(db.session(), mlist, OWNER, "Phó phòng", role="owner")
    db.session.commit()
    enqueue_inbound(db.session(), _marked_post(), TEACHER, ["thpt@example.org"])
    receive_once(app)

    page = browser.new_page()
    page.goto(f"{live_server}/signin")
    page.get_by_label("Địa chỉ thư điện tử").fill(OWNER)
    page.get_by_role("button", name="Gửi cho tôi đường dẫn đăng nhập").click()
    page.wait_for_selector("p.notice")
    deliver(app, settings)
    link = re.search(r"http://forum\.test(/signin/\S+)", sink.for_recipient(OWNER)[-1].text)
    assert link is not None
    page.goto(live_server + link.group(1))
    page.get_by_role("button", name="Đăng nhập ngay").click()

    page.goto(f"{live_server}/moderation/thpt/")
    mark = page.locator("ul.reasons mark")
    assert mark.inner_text() == "TUYET_MAT"
    background = mark.evaluate("element => getComputedStyle(element).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # drawn as a highlight
    assert "TUYỆT MẬT" in page.locator("ul.reasons").inner_text()

    page.locator("input[name=held]").first.check()
    page.get_by_role("button", name="Duyệt", exact=True).click()
    page.wait_for_selector("div.confirm-marked")  # asks before sending it to everyone
    assert page.get_by_role("alert").is_visible()
    page.get_by_role("button", name="Đồng ý duyệt, kể cả thư có dấu độ mật").click()
    page.wait_for_selector("p.flash")
    assert "Không có thư nào đang chờ" in page.content() or page.locator("ul.reasons").count() == 0
    page.close()
