"""Hostile HTML comes out inert; HTML bodies turn into readable plain text."""

from __future__ import annotations

import re

import pytest

from archive.sanitize import html_to_text, sanitize_html

HOSTILE = [
    ("<script>alert('x')</script>", ["<script", "alert"]),
    ('<img src="x" onerror="alert(1)">', ["onerror", "alert", "<img"]),
    ('<a href="javascript:alert(1)">link</a>', ["javascript", "alert"]),
    ('<a href=" JaVaScRiPt:alert(1)">link</a>', ["javascript", "alert"]),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">link</a>', ["data:"]),
    ('<p style="color: expression(alert(1))">link</p>', ["expression", "alert"]),
    ('<p style="background: url(javascript:alert(1))">link</p>', ["url(", "javascript"]),
    ('<svg onload="alert(1)"><circle r="1"/></svg>', ["<svg", "onload", "alert", "circle"]),
    ('<math><mi xlink:href="javascript:alert(1)">m</mi></math>', ["<math", "javascript"]),
    ('<iframe src="https://evil.example/"></iframe>', ["<iframe", "evil.example"]),
    ('<object data="x.swf"></object><embed src="x.swf">', ["<object", "<embed", "swf"]),
    ("<style>body { display: none }</style>", ["<style", "display"]),
    ('<form action="https://evil.example/"><input name="p"></form>', ["<form", "<input"]),
    ('<img src="https://tracker.example/pixel.gif">', ["<img", "tracker.example"]),
    ('<img src="data:image/png;base64,iVBORw0KGgo=">', ["<img", "data:"]),
    ('<div onclick="steal()" onmouseover="steal()">x</div>', ["onclick", "onmouseover"]),
    ("<!--[if gte mso 9]><script>alert(1)</script><![endif]-->", ["<script", "alert"]),
    ('<base href="https://evil.example/"><meta http-equiv="refresh">', ["<base", "<meta"]),
]


@pytest.mark.parametrize(("html", "forbidden"), HOSTILE, ids=[h for h, _ in HOSTILE])
def test_hostile_html_is_made_inert(html: str, forbidden: list[str]) -> None:
    clean = sanitize_html(f"<p>Kính gửi quý thầy cô,</p>{html}<p>Trân trọng.</p>")
    for needle in forbidden:
        assert needle.lower() not in clean.lower()
    assert "Kính gửi quý thầy cô," in clean
    assert "Trân trọng." in clean


def test_links_keep_web_and_mail_targets_and_get_rel() -> None:
    clean = sanitize_html(
        '<a href="https://moet.gov.vn/">Bộ</a> <a href="mailto:so@example.vn">Sở</a>'
    )
    assert '<a href="https://moet.gov.vn/" rel="nofollow noopener noreferrer">Bộ</a>' in clean
    assert 'href="mailto:so@example.vn"' in clean


def test_remote_image_becomes_its_alt_text() -> None:
    clean = sanitize_html('<p><img src="http://example.com/logo.png" alt="Logo  trường"></p>')
    assert clean == "<p>[image: Logo trường]</p>"


def test_inline_cid_image_is_kept_without_handlers() -> None:
    clean = sanitize_html('<img src="cid:logo@example" alt="logo" onload="x()" class="big">')
    assert clean == '<img src="cid:logo@example" alt="logo">'


def test_safe_formatting_and_tables_survive() -> None:
    html = (
        '<p style="color: red; position: fixed"><b>Đậm</b> <i>nghiêng</i></p>'
        '<table border="1"><tr><td colspan="2">ô</td></tr></table><ul><li>một</li></ul>'
    )
    clean = sanitize_html(html)
    assert '<p style="color: red"><b>Đậm</b> <i>nghiêng</i></p>' in clean
    assert '<td colspan="2">ô</td>' in clean
    assert "<li>một</li>" in clean


def test_text_that_looks_like_markup_stays_escaped() -> None:
    assert sanitize_html("a &lt;script&gt; b") == "a &lt;script&gt; b"


def test_html_to_text_puts_blocks_on_lines_and_hides_head_and_scripts() -> None:
    html = (
        "<html><head><title>T</title><style>p { x }</style></head><body>"
        "<div>Xin ch&agrave;o <b>các bạn</b>,</div><div>dòng hai &amp; ba</div>"
        "<script>alert(1)</script><p>Đoạn mới</p><ul><li>một</li><li>hai</li></ul>"
        "</body></html>"
    )
    assert html_to_text(html) == ("Xin chào các bạn,\ndòng hai & ba\n\nĐoạn mới\n\n- một\n- hai")


def test_html_to_text_quotes_blockquotes() -> None:
    html = "<p>Đồng ý.</p><blockquote>Ý kiến cũ<blockquote>cũ hơn</blockquote></blockquote>"
    assert html_to_text(html) == "Đồng ý.\n\n> Ý kiến cũ\n>\n> > cũ hơn"


def test_html_to_text_shows_link_targets_and_image_alts() -> None:
    html = '<p>Xem <a href="https://moet.gov.vn/a">thông báo</a> <img src="x" alt="ảnh"></p>'
    assert html_to_text(html) == "Xem thông báo <https://moet.gov.vn/a> [image: ảnh]"


def test_html_to_text_keeps_preformatted_text() -> None:
    assert html_to_text("<pre>  a\n    b</pre>") == "  a\n    b"


@pytest.mark.parametrize(
    "html",
    [
        "<![if !supportLists]>1.<![endif]> Mục một",
        "<![ unknown x>Mục một",
        "<p>Mục một<",
        "<<<>>>&#99999999;Mục một",
        "<!--Mục một",
    ],
)
def test_html_to_text_survives_malformed_markup(html: str) -> None:
    text = html_to_text(html)
    assert isinstance(text, str)
    assert not re.search(r"<\s*(script|p)\b", text)
