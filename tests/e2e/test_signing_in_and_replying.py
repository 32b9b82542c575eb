"""In a real browser: sign in with the link from the mail, reply to a thread, see the reply."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from archive.store import store
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from forum.settings import Settings
from tests.mail import raw_mail
from tests.smtp_sink import Sink
from tests.web import deliver

pytestmark = pytest.mark.e2e
TEACHER = "co.hoa@truong.edu.vn"


def test_a_member_signs_in_from_the_mailed_link_and_replies(
    browser: Any, live_server: str, app: Flask, settings: Settings, sink: Sink, tmp_path: Path
) -> None:
    mlist, _ = ensure_list(db.session(), ListSpec("thpt", "Trung học phổ thông", ""), "example.org")
    add_member(db.session(), mlist, TEACHER, "Cô Hoa")
    store(db.session(), raw_mail("lich@so.example", subject="Lịch kiểm tra học kỳ"), mlist.id)
    db.session.commit()

    page = browser.new_page()
    page.goto(live_server + "/lists/thpt/")
    page.get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Địa chỉ thư điện tử").fill(TEACHER)
    page.get_by_role("button", name="Gửi cho tôi đường dẫn đăng nhập").click()
    page.wait_for_selector("p.notice")
    deliver(app, settings)
    link = re.search(r"http://forum\.test(/signin/\S+)", sink.for_recipient(TEACHER)[-1].text)
    assert link is not None
    page.goto(live_server + link.group(1))
    page.get_by_role("button", name="Đăng nhập ngay").click()
    page.wait_for_url(re.compile(r".*/lists/thpt/$"))
    assert TEACHER in (page.locator("nav.site-nav").text_content() or "")

    page.locator("a.subject").first.click()
    page.locator("a.reply").first.click()
    page.get_by_label("Nội dung (Markdown)").fill("Nhà trường **đã nhận** lịch, xin cảm ơn.")
    page.get_by_role("button", name="Xem trước").click()
    assert page.locator("section.preview strong").inner_text() == "đã nhận"
    page.get_by_role("button", name="Gửi cho cả nhóm").click()
    page.wait_for_selector("p.flash")
    assert page.locator("article.message").count() == 2
    assert "xin cảm ơn" in page.locator("article.message").nth(1).inner_text()
    page.screenshot(path=str(tmp_path / "reply.png"), full_page=True)
    page.close()
