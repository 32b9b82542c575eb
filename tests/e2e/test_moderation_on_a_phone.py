"""The moderation queue on a phone: a card per message (sender, subject, why it was held with
the mark highlighted, its own buttons), the bulk actions always on screen; a table on a
desktop. A marked post approved from its card is asked about first, as in bulk."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from forum.extensions import db
from forum.mail.inbound import enqueue_inbound
from forum.runner import receive_once
from forum.settings import Settings
from tests.tour import DESKTOP, OWNER, PHONE, build_site, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("one_database")]
CARD_PARTS = """() => [...document.querySelectorAll('table.queue tr.held')].map(card => {
  const box = card.getBoundingClientRect();
  const subject = card.querySelector('td.subject').getBoundingClientRect();
  return [box.width, subject.width]; })"""


def _more_held(app: Flask, count: int) -> None:
    for n in range(count):
        raw = (
            f"From: Phụ huynh {n} <ph{n}@nha.example>\r\nTo: thpt@example.org\r\n"
            f"Subject: Câu hỏi về lịch học số {n}\r\nMessage-ID: <q{n}@nha.example>\r\n\r\n"
            "Xin hỏi lịch học.\r\n"
        ).encode()
        enqueue_inbound(db.session(), raw, f"ph{n}@nha.example", ["thpt@example.org"])
    receive_once(app)


def test_on_a_phone_each_held_message_is_a_card_and_bulk_actions_stay_on_screen(
    browser: Any, live_server: str, app: Flask, settings: Settings
) -> None:
    build_site(app, settings)
    _more_held(app, 10)
    context = browser.new_context(viewport=PHONE)
    sign_in(app, context, live_server, OWNER)
    page = context.new_page()
    page.goto(live_server + "/moderation/thpt/")
    cards = page.evaluate(CARD_PARTS)
    assert len(cards) == 11
    assert all(width > 0.85 * PHONE["width"] and subject > 0.75 * width for width, subject in cards)
    assert not page.locator("table.queue thead").is_visible()
    assert page.locator("ul.reasons mark").first.inner_text() == "MẬT"
    bulk = page.get_by_role("button", name="Duyệt", exact=True)
    assert bulk.is_visible()
    box = bulk.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"]  # on screen at the top of a long queue

    marked = page.locator("tr.marked")
    marked.get_by_role("button", name="Duyệt: Hỏi về tuyển sinh MẬT").click()
    page.wait_for_selector("div.confirm-marked")  # one marked post from its card: asked too
    page.get_by_role("button", name="Đồng ý duyệt, kể cả thư có dấu độ mật").click()
    page.wait_for_selector("p.flash")
    assert page.locator("tr.held").count() == 10
    context.close()


def test_on_a_desktop_the_queue_is_a_table(
    browser: Any, live_server: str, app: Flask, settings: Settings
) -> None:
    build_site(app, settings)
    context = browser.new_context(viewport=DESKTOP)
    sign_in(app, context, live_server, OWNER)
    page = context.new_page()
    page.goto(live_server + "/moderation/thpt/")
    assert page.locator("table.queue thead").is_visible()
    assert (
        page.locator("table.queue tr.held td").first.evaluate("e => getComputedStyle(e).display")
        == "table-cell"
    )
    context.close()
