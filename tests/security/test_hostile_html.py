"""Finding 1 of issue 13: HTML that took bleach minutes (quadratic in nesting) is refused or
stopped at its budget, shown as text instead, and stays inert on every path."""

from __future__ import annotations

import time

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from archive.html_text import html_to_text
from archive.models import MailingList, Message
from archive.parse import HTML_OVER_BUDGET
from archive.sanitize import (
    HTML_LIMITS,
    IN_PROCESS_MARKUP,
    HtmlOverBudget,
    markdown_to_html,
    sanitize_html,
)
from archive.store import store
from forum.extensions import db
from forum.settings import Settings
from tests.integration.mail.conftest import MEMBERS, post_mail, send, work
from tests.smtp_sink import Sink
from tests.unit.archive.test_sanitize import HOSTILE

NESTED_1_1_MB = "<div>" * 220_000 + "Nội dung" + "</div>" * 10


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * 100_000,
        "<div>" * 8000 + "x" + "</div>" * 8000,  # 11 s before
        "<p><b><i>" * 10_000,  # 46 s before
        "<blockquote>" * 20_000 + "x" + "</blockquote>" * 20_000,
        "x" + "<a " * 20_000,
    ],
    ids=["100k-divs", "8k-divs-closed", "p-b-i", "blockquotes", "open-a"],
)
def test_deep_markup_is_refused_at_once_with_a_reason(html: str) -> None:
    start = time.perf_counter()
    with pytest.raises(HtmlOverBudget, match="nested more than 256") as refused:
        sanitize_html(html)
    assert time.perf_counter() - start < 1.0
    assert "deep" in refused.value.reason


def test_html_larger_than_the_budget_is_refused_at_once() -> None:
    start = time.perf_counter()
    with pytest.raises(HtmlOverBudget, match="larger than"):
        sanitize_html("<p>Xin chào các bạn &amp; thầy cô</p>\n" * 20_000)
    assert time.perf_counter() - start < 1.0


def test_misnested_markup_is_stopped_when_its_time_is_up() -> None:
    start = time.perf_counter()  # 128 s before: html5lib's adoption agency, shallow nesting
    with pytest.raises(HtmlOverBudget, match="took longer than"):
        sanitize_html("<a><div></a>" * 10_000)
    assert time.perf_counter() - start < HTML_LIMITS.seconds + 2


@pytest.mark.parametrize(("html", "forbidden"), HOSTILE, ids=[h for h, _ in HOSTILE])
def test_xss_vectors_stay_inert_when_sanitised_in_a_child_process(
    html: str, forbidden: list[str]
) -> None:
    padding = "<p>Mục &amp; khoản</p>" * (IN_PROCESS_MARKUP // 4)  # past the in-process share
    clean = sanitize_html(f"<p>Kính gửi,</p>{html}{padding}")
    for needle in forbidden:
        assert needle.lower() not in clean.lower()
    assert clean.startswith("<p>Kính gửi,</p>")
    assert clean.count("<p>Mục &amp; khoản</p>") == IN_PROCESS_MARKUP // 4


@pytest.mark.parametrize(
    "shape", ["<a ", '<a href="', "<!--", "<![", "</a ", "<p><b><i>"], ids=str.strip
)
def test_html_to_text_is_linear_on_markup_that_stalls_the_stdlib_parser(shape: str) -> None:
    html = "Kính gửi " + shape * 20_000  # '<a ' took 92 s with html.parser
    start = time.perf_counter()
    text = html_to_text(html)
    assert time.perf_counter() - start < 2.0  # linear: a few hundred ms on a busy machine
    assert text.startswith("Kính gửi")


def test_markdown_that_takes_minutes_is_stopped_and_shown_as_text() -> None:
    start = time.perf_counter()  # python-markdown: '[' * 2000 took 6 s, * 20000 took 8 min
    html = markdown_to_html("Góp ý " + "[" * 20_000)
    assert time.perf_counter() - start < HTML_LIMITS.seconds + 2
    assert html.startswith("<p>Góp ý [[[")


def _html_mail(message_id: str, html: str, sender: str = "la@nguoi-ngoai.example") -> bytes:
    head = (
        f"From: {sender}\r\nTo: thpt@example.org\r\nSubject: Thư HTML\r\n"
        f"Message-ID: <{message_id}>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/html; charset=utf-8\r\n\r\n"
    )
    return head.encode() + html.encode()


def test_a_1_1_mb_nested_html_mail_is_stored_in_a_second_and_shown_as_text(
    app: Flask, thpt: MailingList
) -> None:
    start = time.perf_counter()
    store(db.session, _html_mail("nested@x", NESTED_1_1_MB), thpt.id)
    db.session.commit()
    assert time.perf_counter() - start < 2.0
    stored = db.session.scalars(select(Message).where(Message.message_id == "nested@x")).one()
    assert stored.body_html is None
    assert f"{HTML_OVER_BUDGET}: HTML larger than" in stored.defects
    assert len(stored.raw) > 1_000_000  # nothing is lost: the raw mail is the truth


def test_a_hostile_html_mail_does_not_hold_up_the_next_post(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    """Before: a 110 KB message of nested divs held the worker 23 s; the next post waited."""
    lines = "\r\n".join(["<div>" * 15] * 1500)  # 110 KB in lines SMTP takes
    hostile = _html_mail("hostile@nguoi-ngoai.example", lines + "x")
    send(settings, "la@nguoi-ngoai.example", ["thpt@example.org"], hostile)
    send(settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "next@school.edu.vn"))
    start = time.perf_counter()
    work(app, settings)
    assert time.perf_counter() - start < 5.0
    assert MEMBERS[1] in sink.recipients()
