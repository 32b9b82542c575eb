"""A reader's journey in a real browser: groups -> list -> thread -> message, on a phone too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from archive.store import store_batch
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list

pytestmark = pytest.mark.e2e


@pytest.fixture
def archive_with_mail(app: Flask, corpus: Path) -> None:
    mlist, _ = ensure_list(
        db.session, ListSpec("thpt", "Trung học phổ thông", "Các trường THPT"), "example.org"
    )
    folder = corpus / "threading" / "notmuch" / "default"
    store_batch(
        db.session, mlist.id, [p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()]
    )
    db.session.commit()


def test_reader_browses_from_groups_to_a_message(
    browser: Any, live_server: str, archive_with_mail: None, tmp_path: Path
) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "Nhóm"
    page.get_by_role("link", name="Trung học phổ thông").click()
    page.get_by_role("link", name="[notmuch] Working with Maildir storage?").click()
    assert page.locator("article.message").count() == 7
    quote = page.locator("details.quote").first
    quote.locator("summary").click()
    assert quote.get_attribute("open") is not None
    page.locator("a.permalink").nth(1).click()
    assert page.locator("dl.headers").is_visible()
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("link", name="Original message").is_visible()
    page.screenshot(path=str(tmp_path / "message.png"), full_page=True)
    assert errors == []
    page.close()


def test_thread_page_fits_a_phone_screen(
    browser: Any, live_server: str, archive_with_mail: None
) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(live_server + "/lists/thpt/")
    page.locator("a.subject").first.click()
    page.wait_for_url("**/thread/**")
    page.wait_for_load_state("load")  # measured with the style sheet applied
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.close()
