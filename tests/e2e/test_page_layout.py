"""On a phone no page scrolls sideways, and message bodies are set in a font that keeps
Vietnamese tone marks on their letters (not the monospace one that detaches them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from archive.store import store_batch
from forum.drafting import service as drafts
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.posting.pipeline import process_submitted
from forum.search.indexing import index_pending
from forum.settings import Settings

pytestmark = pytest.mark.e2e
PHONE = {"width": 360, "height": 740}
DRAFT = (
    Path(__file__).resolve().parents[1] / "unit" / "drafting" / "drafts" / "thong_tu_day_them.txt"
)
LONG_URL = "https://moet.gov.vn/van_ban/" + "thong_tu_day_them_hoc_them_" * 12 + "x" * 80
PARAGRAPH = (
    "Đề nghị các trường trung học phổ thông báo cáo kết quả thực hiện nhiệm vụ năm học, "
    "đồng thời rà soát danh sách giáo viên tham gia bồi dưỡng thường xuyên. "
) * 6
SUBJECT = "Đề nghị báo cáo kết quả năm học " + "và kế hoạch bồi dưỡng giáo viên " * 4
MAIL = f"""\
From: Nguyễn Văn An <an@truong.edu.vn>
To: thpt@example.org
Subject: {SUBJECT}
Date: Mon, 01 Sep 2025 08:00:00 +0700
Message-ID: <layout-1@truong.edu.vn>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Phụ lục: {LONG_URL}

{PARAGRAPH}

{"_" * 120}
"""
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def wide_content(app: Flask, settings: Settings) -> int:
    """A message with a very long line and a long Vietnamese paragraph, searchable, and a
    published draft with a long line in its preamble; returns the draft's id."""
    session = db.session()
    mlist, _ = ensure_list(
        session, ListSpec("thpt", "Trung học phổ thông", "Các trường THPT"), "example.org"
    )
    store_batch(session, mlist.id, [MAIL.encode()])
    text = DRAFT.read_text().replace("Theo đề nghị", f"Căn cứ {LONG_URL};\nTheo đề nghị", 1)
    draft = drafts.create(session, "Dự thảo Thông tư dạy thêm", "Vụ GDTrH", None, text, "a@b.vn")
    published = drafts.publish(session, settings, draft, [mlist], ("Vụ GDTrH", "vu@example.org"))
    process_submitted(session, settings, published, None)
    while index_pending(session, settings):
        pass
    return draft.id


def test_no_page_scrolls_sideways_on_a_phone(
    browser: Any, live_server: str, wide_content: int
) -> None:
    page = browser.new_page(viewport=PHONE)
    overflow: dict[str, int] = {}

    def measure(name: str) -> None:
        page.wait_for_load_state("load")  # measured with the style sheet applied
        overflow[name] = page.evaluate(OVERFLOW)

    page.goto(live_server + "/lists/thpt/")
    measure("list")
    page.get_by_role("link", name=SUBJECT.strip()).click()
    page.wait_for_url("**/thread/**")
    measure("thread")
    page.locator("a.permalink").first.click()
    page.wait_for_url("**/message/**")
    measure("message")
    page.goto(live_server + "/search?q=phụ+lục")
    assert page.locator("ol.search-results li").count() >= 1
    measure("search")
    facets = page.locator("aside.facets").bounding_box()
    results = page.locator("ol.search-results").bounding_box()
    assert facets is not None
    assert results is not None
    assert facets["y"] < results["y"]  # on a phone the facets come before the results
    page.goto(f"{live_server}/drafts/{wide_content}/")
    measure("draft")
    assert {name: px for name, px in overflow.items() if px > 0} == {}
    page.close()


def test_message_bodies_are_not_monospace(
    browser: Any, live_server: str, wide_content: int
) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server + "/lists/thpt/")
    page.get_by_role("link", name=SUBJECT.strip()).click()
    page.wait_for_url("**/thread/**")
    page.wait_for_load_state("load")
    font = page.locator(".body pre").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert "monospace" not in font
    assert page.locator(".body pre").first.evaluate("e => getComputedStyle(e).whiteSpace") in (
        "pre-wrap",
        "break-spaces",
    )
    page.goto(f"{live_server}/drafts/{wide_content}/")
    page.wait_for_load_state("load")
    font = page.locator("section.provision .text").first.evaluate(
        "e => getComputedStyle(e).fontFamily"
    )
    assert "monospace" not in font
    page.close()


def test_the_join_form_fits_the_sidebar(browser: Any, live_server: str, app: Flask) -> None:
    ensure_list(db.session(), ListSpec("phong", "Phòng Giáo dục", ""), "example.org")
    db.session.commit()
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(live_server + "/lists/phong/")
    page.wait_for_load_state("load")
    sticking_out = page.evaluate(
        """() => { const box = document.querySelector('aside').getBoundingClientRect();
        return [...document.querySelectorAll('aside input')]
          .map(i => i.getBoundingClientRect().right - box.right).filter(px => px > 0); }"""
    )
    assert sticking_out == []
    page.close()
