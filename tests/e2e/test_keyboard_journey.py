"""With the keyboard alone (Tab, Enter and typing): sign in from the header, reply to a thread
with a Markdown table (drawn with borders), and comment on a provision of a draft."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from forum.settings import Settings
from tests.smtp_sink import Sink
from tests.tour import TEACHER, build_site
from tests.web import deliver

pytestmark = pytest.mark.e2e
TABLE = "| Lớp | Sĩ số |\n|---|---|\n| 10A1 | 45 |\n"


def _tab_to(page: Any, selector: str, limit: int = 300) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _press(page: Any, selector: str, navigates: bool = True) -> None:
    """Tab to `selector` and press Enter (following a link or sending a form)."""
    _tab_to(page, selector)
    if not navigates:
        page.keyboard.press("Enter")
        return
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_sign_in_reply_and_comment_with_the_keyboard_only(
    browser: Any, live_server: str, app: Flask, settings: Settings, sink: Sink
) -> None:
    site = build_site(app, settings)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/lists/thpt/")

    _press(page, ".site-nav a[href^='/signin']")
    page.wait_for_url("**/signin?**")
    _tab_to(page, "input[name=email]")
    page.keyboard.type(TEACHER)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("p.notice")
    deliver(app, settings)
    link = re.search(r"http://forum\.test(/signin/\S+)", sink.for_recipient(TEACHER)[-1].text)
    assert link is not None
    page.goto(live_server + link.group(1))  # opened from the mail
    _press(page, "main button[type=submit]")
    page.wait_for_url("**/lists/thpt/")  # back where the reader was

    _press(page, f"a.subject[href='{site.thread_path}']")
    _press(page, "a.reply")
    _tab_to(page, "textarea[name=text]")
    page.keyboard.type("Số liệu của trường:\n\n" + TABLE)
    _press(page, "button[value=send]")
    page.wait_for_selector("p.flash")
    cell = page.locator(".body.markdown td").first
    assert cell.inner_text() == "10A1"
    assert cell.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"

    _press(page, ".site-nav a[href='/drafts/']")
    _press(page, f"main a[href='{site.draft_path}']")
    _press(
        page, "#dieu-2 > details > summary", navigates=False
    )  # "Góp ý Điều 2 (0)" opens in place
    _tab_to(page, "#dieu-2 textarea")
    page.keyboard.type("Đề nghị giải thích thêm từ ngữ.")
    _press(page, "#dieu-2 .comment-form button")
    page.wait_for_selector("p.flash")
    assert "Đề nghị giải thích thêm" in page.locator("#dieu-2 .comment").inner_text()
    context.close()
