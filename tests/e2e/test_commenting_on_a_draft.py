"""In a real browser: a member signs in and comments next to an article of a draft."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from forum.drafting import service as drafts
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from forum.posting.pipeline import process_submitted
from forum.settings import Settings
from tests.smtp_sink import Sink
from tests.web import deliver

pytestmark = pytest.mark.e2e
DRAFT = (
    Path(__file__).resolve().parents[1] / "unit" / "drafting" / "drafts" / "thong_tu_day_them.txt"
)
TEACHER = "thay.nam@truong.edu.vn"


def test_a_member_comments_on_an_article_on_the_web(
    browser: Any, live_server: str, app: Flask, settings: Settings, sink: Sink
) -> None:
    mlist, _ = ensure_list(db.session(), ListSpec("thpt", "Trung học phổ thông", ""), "example.org")
    member, _ = add_member(db.session(), mlist, TEACHER, "Thầy Nam")
    member.unit = "THPT Nguyễn Trãi"
    draft = drafts.create(
        db.session(),
        "Dự thảo Thông tư dạy thêm",
        "Vụ GDTrH",
        None,
        DRAFT.read_text(),
        "admin@example.org",
    )
    published = drafts.publish(db.session(), settings, draft, [mlist], ("Vụ GDTrH", "vu@x.org"))
    process_submitted(db.session(), settings, published, None)

    page = browser.new_page()
    page.goto(f"{live_server}/signin")
    page.get_by_label("Địa chỉ thư điện tử").fill(TEACHER)
    page.get_by_role("button", name="Gửi cho tôi đường dẫn đăng nhập").click()
    page.wait_for_selector("p.notice")
    deliver(app, settings)
    link = re.search(r"http://forum\.test(/signin/\S+)", sink.for_recipient(TEACHER)[-1].text)
    assert link is not None
    page.goto(live_server + link.group(1))
    page.get_by_role("button", name="Đăng nhập ngay").click()
    page.wait_for_load_state()

    page.goto(f"{live_server}/drafts/{draft.id}/")
    article = page.locator("section#dieu-6")
    article.locator("> details > summary").click()  # "Góp ý (0)" opens the form in place
    article.get_by_label("Ý kiến của bạn").fill("Đề nghị giảm xuống 40 học sinh mỗi lớp.")
    article.get_by_role("button", name="Gửi góp ý").click()
    page.wait_for_selector("p.flash")
    assert "40 học sinh" in page.locator("section#dieu-6 .comment").inner_text()
    assert "THPT Nguyễn Trãi" in page.locator("section#dieu-6 .comment").inner_text()
    assert page.locator("nav.outline a[href='#dieu-6'] + .count").inner_text() == "1"
    page.close()
