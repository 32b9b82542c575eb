"""The draft page reads like the document and stays short: a Thông tư of 50 articles (their
headings) fits in three screens on a desktop with every comment form folded, each provision's
"Góp ý (N)" opens its comments and form in place (no script), and the outline stays in view."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from forum.drafting import service as drafts
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from forum.posting.pipeline import process_submitted
from forum.settings import Settings
from tests.tour import OWNER, TEACHER, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("one_database")]
SCREEN = {"width": 1280, "height": 900}
HEAD = """BỘ GIÁO DỤC VÀ ĐÀO TẠO
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số:       /2026/TT-BGDĐT
Hà Nội, ngày      tháng      năm 2026

DỰ THẢO

THÔNG TƯ
Quy định về quản lý thiết bị dạy học

Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;
Bộ trưởng Bộ Giáo dục và Đào tạo ban hành Thông tư quy định về quản lý thiết bị dạy học.
"""


def _fifty_articles() -> str:
    chapters = []
    for chapter in range(5):
        articles = [
            f"Điều {n}. Quy định số {n} về thiết bị dạy học"
            for n in range(chapter * 10 + 1, chapter * 10 + 11)
        ]
        chapters.append(
            f"Chương {['I', 'II', 'III', 'IV', 'V'][chapter]}\nQUY ĐỊNH\n\n" + "\n\n".join(articles)
        )
    return HEAD + "\n\n" + "\n\n".join(chapters) + "\n"


@pytest.fixture
def draft_path(app: Flask, settings: Settings) -> str:
    session = db.session()
    mlist, _ = ensure_list(session, ListSpec("thpt", "Trung học phổ thông", ""), "example.org")
    add_member(session, mlist, TEACHER, "Cô Hoa")
    add_member(session, mlist, OWNER, "Phó phòng", role="owner")
    draft = drafts.create(session, "", "Vụ GDTrH", None, _fifty_articles(), OWNER)
    published = drafts.publish(session, settings, draft, [mlist], ("Vụ GDTrH", OWNER))
    process_submitted(session, settings, published, None)
    comment = drafts.comment_from_web(
        session, settings, draft, mlist, ("Cô Hoa", TEACHER), "dieu-7", "Đề nghị bổ sung."
    )
    process_submitted(session, settings, comment, None)
    session.commit()
    return f"/drafts/{draft.id}/"


def test_fifty_articles_fit_in_three_screens_and_read_like_the_document(
    browser: Any, live_server: str, app: Flask, draft_path: str
) -> None:
    context = browser.new_context(viewport=SCREEN)
    sign_in(app, context, live_server, TEACHER)  # a member: every provision has its form
    page = context.new_page()
    page.goto(live_server + draft_path)
    assert page.locator("section.provision.article").count() == 50
    assert page.locator("form.comment-form").count() == 50 + 5 + 2  # articles, chapters, …
    assert page.locator("textarea:visible").count() == 0  # every form folded
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 3 * SCREEN["height"], height
    heading = page.locator("h1").inner_text()
    assert "THÔNG TƯ" in heading
    assert "Quy định về quản lý thiết bị dạy học" in heading
    assert page.locator(".draft-mark").inner_text() == "DỰ THẢO"
    summary = page.locator("section#dieu-7 > details > summary").text_content() or ""
    assert " ".join(summary.split()) == "Góp ý Điều 7 (1)"  # what a screen reader says
    assert page.locator("nav.outline a[href='#dieu-7'] + .count").inner_text() == "1"

    page.locator("section#dieu-7 > details > summary").click()  # opens in place
    assert "Đề nghị bổ sung." in page.locator("section#dieu-7 .comment").inner_text()
    assert page.locator("section#dieu-7 textarea").is_visible()
    assert page.locator(".draft-manage").count() == 0  # the drafting body's controls are its own

    page.goto(live_server + draft_path + "#dieu-45")  # the outline stays in view far down
    box = page.locator("nav.outline").bounding_box()
    assert box is not None
    assert 0 <= box["y"] < 20
    context.close()


def test_the_drafting_body_sees_its_controls_and_extends_by_a_typed_date(
    browser: Any, live_server: str, app: Flask, draft_path: str
) -> None:
    context = browser.new_context(viewport=SCREEN, locale="en-US")
    sign_in(app, context, live_server, OWNER)
    page = context.new_page()
    page.goto(live_server + draft_path)
    page.get_by_label("Hạn mới").fill("31/12/2099")
    page.get_by_role("button", name="Gia hạn").click()
    page.wait_for_selector("p.flash")
    assert "31/12/2099" in page.locator(".draft-meta").inner_text()
    assert (
        page.locator("select[name=kind]:visible").count() == 0
    )  # folded: responses are in the box
    page.locator("section#dieu-7 > details > summary").click()
    assert page.locator("section#dieu-7 select[name=kind]").is_visible()
    context.close()
