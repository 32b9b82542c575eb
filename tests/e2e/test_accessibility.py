"""axe-core on every kind of page (and the forms: new thread, new draft, my groups, members),
in Vietnamese and English, on a desktop and a phone, with
every folded part (<details>) opened so its forms are checked too: no serious or critical
violation. Also the `lang` attributes: the page's language, and the other language's link."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from forum.settings import Settings
from tests.tour import ADMIN, DESKTOP, OWNER, PHONE, build_site, pages, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("one_database")]
SERIOUS = {"serious", "critical"}
OPEN_ALL = "document.querySelectorAll('details').forEach(d => { d.open = true; })"


def _problems(axe: Any, page: Any) -> list[str]:
    page.evaluate(OPEN_ALL)
    found = axe.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {node['target']}"
        for v in found
        if v["impact"] in SERIOUS
        for node in v["nodes"]
    ]


def test_no_serious_accessibility_violations(
    browser: Any, live_server: str, app: Flask, settings: Settings
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    site = build_site(app, settings)
    problems: dict[str, list[str]] = {}
    for locale in ("vi", "en"):
        for device, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            visits = [(OWNER, name, path) for name, path in pages(site).items()]
            visits += [
                (ADMIN, "admin", "/admin/"),
                (None, "signin (signed out)", "/signin"),
                (OWNER, "new thread", "/lists/thpt/post"),
                (OWNER, "new draft", "/drafts/new"),
                (OWNER, "my groups", "/me/"),
                (OWNER, "members", "/admin/lists/thpt/members/"),
            ]
            contexts: dict[str | None, Any] = {}
            for who in (OWNER, ADMIN, None):
                context = browser.new_context(viewport=viewport)
                context.add_cookies([{"name": "lang", "value": locale, "url": live_server}])
                if who:
                    sign_in(app, context, live_server, who)
                contexts[who] = context.new_page()
            for who, name, path in visits:
                page = contexts[who]
                assert page.goto(live_server + path).ok, name
                assert page.locator("html").get_attribute("lang") == locale, (name, locale)
                other = "en" if locale == "vi" else "vi"
                assert page.locator(f".site-nav a[hreflang={other}]").get_attribute("lang") == other
                found = _problems(axe, page)
                if found:
                    problems[f"{name} {locale} {device}"] = found
            for page in contexts.values():
                page.context.close()
    assert problems == {}
