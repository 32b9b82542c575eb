"""What the archive pages say: lists of threads mark notices and drafts, replies repeat their
subject only when it differs, the thread's search box hides its operator, a search that finds
nothing draws no facets, the header's sign-in link does not say a page was refused, and the
join form shows a signed-in reader's whole address."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from forum.settings import Settings
from tests.tour import OWNER, build_site
from tests.web import signed_in_as


def test_the_list_marks_notices_and_drafts(
    app: Flask, settings: Settings, client: FlaskClient
) -> None:
    build_site(app, settings)
    page = client.get("/lists/thpt/").text
    notice = re.search(r'<span class="tag notice">([^<]+)</span>', page)
    assert notice is not None
    assert notice.group(1) == "Cần phúc đáp · Hạn: 20/12/2030"
    assert '<span class="tag draft">Dự thảo lấy ý kiến</span>' in page  # no deadline given
    assert page.count('class="tag ') == 2  # the ordinary thread is not marked


def test_a_reply_repeats_its_subject_only_when_it_differs(
    app: Flask, settings: Settings, client: FlaskClient
) -> None:
    site = build_site(app, settings)
    page = client.get(site.thread_path).text
    assert '<div class="subject">' not in page  # "Re: Lịch kiểm tra học kỳ I" is the same


def test_the_thread_search_box_searches_the_thread_without_showing_the_operator(
    app: Flask, settings: Settings, client: FlaskClient
) -> None:
    site = build_site(app, settings)
    page = client.get(site.thread_path).text
    assert "in:thread" not in page
    thread_id = site.thread_path.rstrip("/").rsplit("/", 1)[1]
    assert f'<input type="hidden" name="thread" value="{thread_id}">' in page
    assert 'placeholder="Tìm trong chủ đề này"' in page
    found = client.get(f"/lists/thpt/search?q=&thread={thread_id}").text
    assert "Tìm thấy 2 thư" in found
    boxes = re.findall(r'<input type="search" name="q" value="([^"]*)"', found)
    assert boxes == ["", ""]  # the header's and the results' box: no operator in sight
    other = client.get(f"/lists/thpt/search?q=báo+cáo&thread={thread_id}").text
    assert "Báo cáo số liệu" not in other  # another thread's message is not in this one
    # Its links (order, facets, feed) keep the thread as a parameter, not as the operator.
    words = client.get(f"/lists/thpt/search?q=lịch&thread={thread_id}").text
    links = [
        link.replace("&amp;", "&")
        for link in re.findall(r'href="(/lists/thpt/search[^"]*)"', words)
    ]
    assert any("sort=date" in link for link in links)
    assert any("feed.atom" in link for link in links)
    for link in links:
        assert f"thread={thread_id}" in link, link
        assert "in%3Athread" not in link, link
    by_date = client.get(next(link for link in links if "sort=date" in link)).text
    assert "Tìm thấy 2 thư" in by_date
    assert "in:thread" not in by_date
    assert re.findall(r'<input type="search" name="q" value="([^"]*)"', by_date)[-1] == "lịch"


def test_a_search_that_finds_nothing_draws_no_facets(
    app: Flask, settings: Settings, client: FlaskClient
) -> None:
    build_site(app, settings)
    assert "<aside" in client.get("/search?q=l%E1%BB%8Bch").text
    assert "<aside" not in client.get("/search?q=zzzkhongco").text


def test_the_headers_sign_in_link_does_not_say_a_page_was_refused(client: FlaskClient) -> None:
    home = client.get("/").text
    link = re.search(r'href="(/signin\?[^"]+)"', home)
    assert link is not None
    assert "next=" not in link.group(1)
    refused = "Hãy đăng nhập để mở trang đó"
    signin = client.get(link.group(1).replace("&amp;", "&")).text
    assert refused not in signin
    assert 'name="next" value="/"' in signin  # it still comes back here
    asked = client.get("/notices/", follow_redirects=True).text  # a page that needs an account
    assert refused in asked


def test_the_join_form_shows_a_signed_in_readers_whole_address(
    app: Flask, settings: Settings, client: FlaskClient
) -> None:
    build_site(app, settings)
    address = "nguyen.van.an.hieu.truong@thpt-chu-van-an.ha-noi.edu.vn"
    signed_in_as(client, address, None)
    page = client.get("/lists/thpt/").text
    assert f"Với địa chỉ {address}" in page
    assert f'<input type="hidden" name="email" value="{address}">' in page
    assert OWNER not in page.split("<aside", 1)[1]
