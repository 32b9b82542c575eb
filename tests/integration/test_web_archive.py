"""The web archive over HTTP (Flask's test client), with real corpus mail stored."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from archive.mbox import iter_messages
from archive.models import Attachment, MailingList, Message, Thread
from archive.store import store, store_batch
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from tests.mail import raw_mail
from tests.web import signed_in_as

HOSTILE_HTML = b"""From: Mallory <mallory@evil.example>
To: thpt@example.org
Subject: Hostile
Message-ID: <hostile@evil.example>
Date: Tue, 14 Apr 2009 08:00:00 +0700
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><body onload="alert(1)"><p>Harmless words</p><script>alert('x')</script>
<img src="x" onerror="alert(2)"><a href="javascript:alert(3)">click</a>
<div style="width: expression(alert(4))">css</div><svg onload="alert(5)"></svg>
<iframe src="https://evil.example/"></iframe></body></html>
"""


@pytest.fixture
def thpt(app: Flask, corpus: Path) -> MailingList:
    mlist, _ = ensure_list(
        db.session,
        ListSpec("thpt", "Trung học phổ thông", "Các trường THPT", ("dangky-THPT",)),
        "example.org",
    )
    folders = ["threading/notmuch/default", "threading/notmuch/attachment", "vietnamese"]
    raws = [p.read_bytes() for f in folders for p in sorted((corpus / f).rglob("*")) if p.is_file()]
    store_batch(db.session, mlist.id, raws)
    store(db.session, HOSTILE_HTML, mlist.id)
    db.session.commit()
    return mlist


def _first(model_query):  # type: ignore[no-untyped-def]
    return db.session.scalars(model_query).first()


def test_index_lists_the_groups_in_vietnamese_by_default(
    client: FlaskClient, thpt: MailingList
) -> None:
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Trung học phổ thông" in html
    assert "thpt@example.org" in html
    assert "Nhóm" in html
    english = client.get("/?lang=en").get_data(as_text=True)
    assert "Groups" in english


def test_list_page_shows_threads_with_counts_and_months(
    client: FlaskClient, thpt: MailingList
) -> None:
    html = client.get("/lists/thpt/?lang=en").get_data(as_text=True)
    assert "[USRP-users] Re: USRP E320" in html  # the latest activity comes first
    assert "dangky-thpt@example.org" in html
    assert "11/2009" in html
    month = client.get("/lists/thpt/2009-11/?lang=en")
    assert month.status_code == 200
    month_html = month.get_data(as_text=True)
    assert "[notmuch] Working with Maildir storage?" in month_html
    assert "6 replies" in month_html


def test_list_page_paginates(client: FlaskClient, thpt: MailingList) -> None:
    threads = db.session.scalars(select(Thread).where(Thread.list_id == thpt.id)).all()
    assert len(threads) > 25
    second = client.get("/lists/thpt/?page=2")
    assert second.status_code == 200
    assert client.get("/lists/thpt/?page=99").status_code == 404


def test_thread_page_shows_the_reply_tree(client: FlaskClient, thpt: MailingList) -> None:
    thread = _first(select(Thread).where(Thread.subject.contains("Working with Maildir")))
    html = client.get(f"/lists/thpt/thread/{thread.id}/").get_data(as_text=True)
    assert html.count('class="message"') == 7
    assert "depth-1" in html
    assert "depth-2" in html


def test_quoted_text_and_signatures_are_folded(client: FlaskClient, thpt: MailingList) -> None:
    message = _first(select(Message).where(Message.body_text.contains("\n> ")))
    html = client.get(f"/lists/thpt/thread/{message.thread_id}/").get_data(as_text=True)
    assert '<details class="quote">' in html


def test_message_page_hides_addresses_from_readers(client: FlaskClient, thpt: MailingList) -> None:
    message = _first(select(Message).where(Message.sender_email != ""))
    page = client.get(f"/lists/thpt/message/{message.message_id_hash}/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert message.sender_email not in html
    assert "…@" in html


def test_every_stored_message_renders(client: FlaskClient, thpt: MailingList) -> None:
    hashes = db.session.scalars(select(Message.message_id_hash)).all()
    for message_hash in hashes:
        assert client.get(f"/lists/thpt/message/{message_hash}/").status_code == 200


def test_raw_message_is_the_stored_bytes(client: FlaskClient, thpt: MailingList) -> None:
    message = _first(select(Message))
    path = f"/lists/thpt/message/{message.message_id_hash}/raw"
    assert client.get(path).headers["Location"].startswith("/signin")  # addresses: members only
    signed_in_as(client, "khach@other.example", None)
    assert client.get(path).status_code == 403
    signed_in_as(client, "gv@truong.edu.vn", thpt)
    assert client.get(path).data == message.raw


def test_hostile_html_mail_renders_inert(client: FlaskClient, thpt: MailingList) -> None:
    message = _first(select(Message).where(Message.message_id == "hostile@evil.example"))
    html = client.get(f"/lists/thpt/message/{message.message_id_hash}/").get_data(as_text=True)
    assert "Harmless words" in html
    assert 'class="html-body"' in html  # the sanitised HTML itself is shown, not just text
    own_script = '<script src="/static/confirm.js" defer></script>'
    assert html.count("<script") == 1  # the site's own, from its own origin
    html = html.replace(own_script, "")
    for dangerous in (
        "<script",
        "onerror=",
        "onload=",
        "javascript:",
        "expression(",
        "<iframe",
        "<svg",
    ):
        assert dangerous not in html
    assert "script-src 'self'" in client.get("/").headers["Content-Security-Policy"]


def test_attachment_downloads_with_a_safe_content_disposition(
    client: FlaskClient, thpt: MailingList
) -> None:
    attachment = _first(select(Attachment))
    assert attachment is not None
    message = db.session.get(Message, attachment.message_pk)
    url = (
        f"/lists/thpt/message/{message.message_id_hash}/attachments/"
        f"{attachment.position}/{attachment.filename}"
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == attachment.data
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = client.get(f"/lists/thpt/message/{message.message_id_hash}/").text
    assert "Bytes" not in page  # sizes as `23 B` or `1,5 KB`
    assert any(f" {unit}</span>" in page for unit in ("B", "KB", "MB"))


def test_thread_and_month_mbox_downloads_hold_the_raw_mail(
    client: FlaskClient, thpt: MailingList
) -> None:
    thread = _first(select(Thread).where(Thread.subject.contains("Working with Maildir")))
    assert client.get(f"/lists/thpt/thread/{thread.id}.mbox").status_code == 302
    assert client.get("/lists/thpt/2009-11.mbox").status_code == 302
    signed_in_as(client, "gv@truong.edu.vn", thpt)
    response = client.get(f"/lists/thpt/thread/{thread.id}.mbox")
    assert response.headers["Content-Disposition"].startswith("attachment")
    messages = list(iter_messages(io.BytesIO(response.data)))
    stored = db.session.scalars(select(Message.raw).where(Message.thread_id == thread.id)).all()
    assert sorted(messages) == sorted(stored)
    month = client.get("/lists/thpt/2009-11.mbox")
    assert len(list(iter_messages(io.BytesIO(month.data)))) >= 50


def test_atom_feed_lists_new_threads(client: FlaskClient, thpt: MailingList) -> None:
    response = client.get("/lists/thpt/feed.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert 1 <= len(entries) <= 30
    assert all(e.find("{http://www.w3.org/2005/Atom}title") is not None for e in entries)
    assert b"@dottiness" not in response.data


def test_the_atom_feed_leaves_out_characters_xml_forbids(client: FlaskClient, app: Flask) -> None:
    """A kernel patch's form feeds, a sender's control character (as linux-mips has them):
    the feed stays well-formed XML, the words around them kept."""
    mlist, _ = ensure_list(db.session, ListSpec("mips", "MIPS", ""), "example.org")
    sender = "santhosh \x03 <\x03ps.santhosh@gdatech.co.in>"
    body = "Patch below.\n\x0c\n--- a/arch/mips/mm/c-r4k.c\n\x1b[0m\n"
    store(
        db.session, raw_mail("ff@x", subject="cache \x0cflush", sender=sender, body=body), mlist.id
    )
    db.session.commit()
    feed = ET.fromstring(client.get("/lists/mips/feed.atom").data)
    entry = feed.find("{http://www.w3.org/2005/Atom}entry")
    assert entry is not None
    assert entry.findtext("{http://www.w3.org/2005/Atom}title") == "cache flush"
    assert "c-r4k.c" in (entry.findtext("{http://www.w3.org/2005/Atom}summary") or "")


@pytest.mark.parametrize(
    "url",
    [
        "/lists/nosuch/",
        "/lists/thpt/thread/999999/",
        "/lists/thpt/message/NOSUCHHASH/",
        "/lists/thpt/message/NOSUCHHASH/raw",
        "/lists/thpt/2009-13/",
        "/lists/thpt/0001-01/",
        "/lists/thpt/9999-12/",
        "/lists/thpt/thread/999999.mbox",
        "/lists/thpt/thread/99999999999999999999/",
        "/lists/thpt/thread/2147483648/",
        "/lists/thpt/thread/99999999999999999999.mbox",
        "/drafts/99999999999999999999/",
        "/notices/99999999999999999999/",
        "/admin/outgoing/99999999999999999999/",
    ],
)
def test_unknown_things_are_404(client: FlaskClient, thpt: MailingList, url: str) -> None:
    signed_in_as(client, "gv@truong.edu.vn", thpt)  # downloads are for members
    response = client.get(url)
    assert response.status_code == 404
    assert "404" in response.get_data(as_text=True)


def test_vietnamese_names_are_shown_decoded(client: FlaskClient, thpt: MailingList) -> None:
    message = _first(select(Message).where(Message.sender_name.contains("Hoàng")))
    assert message is not None
    html = client.get(f"/lists/thpt/thread/{message.thread_id}/").get_data(as_text=True)
    assert message.sender_name in html


def test_a_small_list_reads_without_pagination(client: FlaskClient, app: Flask) -> None:
    mlist, _ = ensure_list(db.session, ListSpec("tieuhoc", "Tiểu học", ""), "example.org")
    store(db.session, raw_mail("only@x", subject="Thông báo"), mlist.id)
    db.session.commit()
    html = client.get("/lists/tieuhoc/").get_data(as_text=True)
    assert "Thông báo" in html
    assert 'rel="next"' not in html


def test_dates_are_shown_in_the_sites_time_zone(client: FlaskClient, thpt: MailingList) -> None:
    message = _first(select(Message).where(Message.message_id == "hostile@evil.example"))
    html = client.get(f"/lists/thpt/message/{message.message_id_hash}/").get_data(as_text=True)
    assert "14/04/2009 08:00" in html  # sent at 08:00 in Vietnam (+0700): 01:00 UTC
    assert "01:00" not in html
    english = client.get(f"/lists/thpt/message/{message.message_id_hash}/?lang=en").text
    assert "14 April 2009, 08:00" in english


def test_an_address_used_as_the_display_name_is_hidden_too(
    client: FlaskClient, thpt: MailingList
) -> None:
    sender = '"zcao@c3comm.example" <zcao@c3comm.example>'
    store(db.session, raw_mail("named@x", subject="Hỏi về lịch thi", sender=sender), thpt.id)
    db.session.commit()
    message = _first(select(Message).where(Message.message_id == "named@x"))
    pages = [
        "/lists/thpt/",
        f"/lists/thpt/thread/{message.thread_id}/",
        f"/lists/thpt/message/{message.message_id_hash}/",
        "/lists/thpt/feed.atom",
    ]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        assert "zcao@c3comm.example" not in html, path
    assert "zcao@" not in client.get(pages[2]).get_data(as_text=True)


def test_the_language_switch_keeps_the_page_and_its_query(
    client: FlaskClient, thpt: MailingList
) -> None:
    html = client.get("/lists/thpt/?page=2").get_data(as_text=True)
    assert 'href="/lists/thpt/?page=2&amp;lang=en"' in html
    html = client.get("/search?q=d%E1%BB%B1+th%E1%BA%A3o&lang=en").get_data(as_text=True)
    assert 'href="/search?q=d%E1%BB%B1+th%E1%BA%A3o&amp;lang=vi"' in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/lists/thpt/").text)
    assert token is not None
    after_post = client.post(
        "/lists/thpt/subscribe", data={"email": "gv@truong.edu.vn", "csrf_token": token.group(1)}
    ).get_data(as_text=True)
    assert 'href="/?lang=vi"' in after_post  # the form's address cannot be opened again


def test_months_are_the_sites_local_months(client: FlaskClient, thpt: MailingList) -> None:
    new_year = "Wed, 31 Dec 2025 20:00:00 +0000"  # 03:00 on 1 January 2026 in Vietnam
    store(db.session, raw_mail("tet@x", subject="Chúc mừng năm mới", date=new_year), thpt.id)
    db.session.commit()
    january = client.get("/lists/thpt/2026-01/?lang=en").text
    assert "Chúc mừng năm mới" in january
    assert "Month 01/2026" in january
    assert 'href="/lists/thpt/2026-1.mbox"' in january
    assert "Chúc mừng năm mới" not in client.get("/lists/thpt/2025-12/").text
    months = client.get("/lists/thpt/").text
    assert ">01/2026</a>" in months
    assert ">12/2025</a>" not in months


def test_authors_a_list_rewrote_for_dmarc_count_as_different_people(app: Flask) -> None:
    mlist, _ = ensure_list(db.session, ListSpec("usrp", "USRP", ""), "example.org")
    root = raw_mail("r@x", subject="Hỏi", sender='"An via USRP" <usrp@example.org>')
    reply = raw_mail(
        "a@x", subject="Re: Hỏi", in_reply_to="<r@x>", sender='"Bình via USRP" <usrp@example.org>'
    )
    again = raw_mail(
        "b@x", subject="Re: Hỏi", in_reply_to="<a@x>", sender='"An via USRP" <usrp@example.org>'
    )
    store_batch(db.session, mlist.id, [root, reply, again])
    db.session.commit()
    thread = _first(select(Thread).where(Thread.list_id == mlist.id))
    assert thread.message_count == 3
    assert thread.participant_count == 2
