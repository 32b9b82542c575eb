"""The header is one line on a desktop from 1024 px up and a compact two rows on a phone; no
page scrolls sideways on a phone; and every page is photographed, desktop and phone, under
artifacts/screenshots/ for a reviewer."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from forum.settings import Settings
from tests.tour import ADMIN, DESKTOP, OWNER, PHONE, SCREENSHOTS, build_site, pages, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("one_database")]
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
# The tops and bottoms of the header's visible parts, in px.
HEADER_ROWS = """() => [...document.querySelectorAll(
    '.site-header > .brand, .site-header > .search-box, .site-nav li, .site-menu > summary')]
  .filter(e => e.getClientRects().length)
  .map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; })"""


def _rows(boxes: list[list[float]]) -> int:
    """How many lines the boxes sit on (boxes whose vertical middles are 12 px apart)."""
    middles = sorted((top + bottom) / 2 for top, bottom in boxes)
    return 1 + sum(1 for a, b in zip(middles, middles[1:], strict=False) if b - a > 12)


@pytest.mark.parametrize("width", [1024, 1280])
def test_the_header_is_one_line_on_a_desktop(
    browser: Any, live_server: str, app: Flask, settings: Settings, width: int
) -> None:
    site = build_site(app, settings)
    heights: dict[str, float] = {}
    for locale in ("vi", "en"):
        context = browser.new_context(viewport={"width": width, "height": 800})
        context.add_cookies([{"name": "lang", "value": locale, "url": live_server}])
        sign_in(app, context, live_server, ADMIN)  # the most links: administration too
        page = context.new_page()
        for name in ("home", "list", "thread", "search", "draft", "notices"):
            page.goto(live_server + pages(site)[name])
            assert _rows(page.evaluate(HEADER_ROWS)) == 1, (name, locale)
            heights[f"{name} {locale}"] = page.locator(".site-header").bounding_box()["height"]
        context.close()
    assert max(heights.values()) < 64, heights
    assert max(heights.values()) - min(heights.values()) < 1  # the same header everywhere


def test_on_a_phone_the_header_is_two_compact_rows(
    browser: Any, live_server: str, app: Flask, settings: Settings
) -> None:
    build_site(app, settings)
    context = browser.new_context(viewport=PHONE)
    sign_in(app, context, live_server, OWNER)
    page = context.new_page()
    page.goto(live_server + "/lists/thpt/")
    assert _rows(page.evaluate(HEADER_ROWS)) == 2
    assert page.locator(".site-header").bounding_box()["height"] < 110
    page.locator(".site-menu > summary").click()  # a <details>: no script needed
    assert page.locator(".site-menu").get_by_role("link", name="Nhóm của tôi").is_visible()
    context.close()


def test_no_page_scrolls_sideways_on_a_phone_and_screenshots(
    browser: Any, live_server: str, app: Flask, settings: Settings
) -> None:
    site = build_site(app, settings)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    overflow: dict[str, int] = {}
    for device, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        visits = [(OWNER, name, path) for name, path in pages(site).items()]
        for who, name, path in [*visits, (ADMIN, "admin", "/admin/")]:
            context = browser.new_context(viewport=viewport)
            sign_in(app, context, live_server, who)
            page = context.new_page()
            page.goto(live_server + path)
            page.wait_for_load_state("load")
            if device == "phone":
                overflow[name] = page.evaluate(OVERFLOW)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{device}.png"), full_page=True)
            context.close()
    assert {name: px for name, px in overflow.items() if px > 0} == {}
