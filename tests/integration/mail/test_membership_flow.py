"""Joining and leaving, all through the real SMTP server and a real sink: any mail to a
`dangky-*` address, a confirmation from the no-reply sender, a reply from a mail client."""

from __future__ import annotations

import hashlib
import re
from email.header import decode_header, make_header
from email.utils import parseaddr

from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from archive.models import MailingList
from forum.extensions import db
from forum.lists.members import add_member, find_member
from forum.models import InboundMessage, PendingRequest
from forum.settings import Settings
from tests.integration.mail.conftest import send, work
from tests.smtp_sink import Received, Sink
from tests.web import csrf_token, sign_in_by_link

TEACHER = "lan.nguyen@Truong-THPT.edu.vn"


def _mail(sender: str, to: str, subject: str, body: str, extra: str = "") -> bytes:
    mid = hashlib.sha256(f"{sender}{to}{subject}{body}".encode()).hexdigest()[:16]
    return (
        f"From: {sender}\nTo: {to}\nSubject: {subject}\nMessage-ID: <{mid}@client>\n"
        f"Date: Wed, 25 Nov 2026 08:00:00 +0700\nMIME-Version: 1.0\n{extra}"
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        f"{body}\n"
    ).encode()


def _only(sink: Sink, address: str) -> Received:
    (copy,) = sink.for_recipient(address.lower())  # addresses are stored lowercased
    return copy


def _subject(copy: Received) -> str:
    return str(make_header(decode_header(str(copy.message["Subject"]))))


def _reply_to(copy: Received, sender: str, body: str = "Đồng ý.") -> tuple[str, bytes]:
    """What pressing Reply in a mail client sends: Re: subject, quoted original, In-Reply-To."""
    original = copy.message
    target = parseaddr(str(original["Reply-To"]))[1]
    quoted = "\n".join(
        "> " + line for line in copy.data.decode("utf-8", "replace").splitlines()[-8:]
    )
    extra = f"In-Reply-To: {original['Message-ID']}\nReferences: {original['Message-ID']}\n"
    return target, _mail(sender, target, f"Re: {original['Subject']}", f"{body}\n\n{quoted}", extra)


def _join(settings: Settings, app: Flask, sender: str = TEACHER) -> None:
    raw = _mail(
        f"Cô Lan <{sender}>", "dangky-THPT@example.org", "xin vao nhom", "Cho tôi tham gia."
    )
    send(settings, sender, ["DangKy-thpt@Example.org"], raw)
    work(app, settings)


def test_any_mail_to_the_join_alias_then_a_reply_makes_a_member(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _join(settings, app)
    confirmation = _only(sink, TEACHER)
    message = confirmation.message
    assert parseaddr(str(message["From"]))[1] == "noreply@example.org"
    subject = str(make_header(decode_header(str(message["Subject"]))))
    assert "Xác nhận" in subject
    token = re.search(r"confirm ([0-9a-f]{40})", subject)
    assert token is not None
    assert str(message["Reply-To"]) == f"thpt-confirm+{token.group(1)}@example.org"
    assert message["Auto-Submitted"] == "auto-replied"
    assert f"/confirm/{token.group(1)}" in confirmation.text
    assert find_member(db.session(), thpt, TEACHER) is None

    target, reply = _reply_to(confirmation, f"Cô Lan <{TEACHER}>")
    send(settings, TEACHER, [target], reply)
    work(app, settings)
    member = find_member(db.session(), thpt, TEACHER)
    assert member is not None
    assert member.address.display_name == "Cô Lan"
    welcome = sink.for_recipient(TEACHER.lower())[-1]
    assert "Chào mừng" in str(make_header(decode_header(str(welcome.message["Subject"]))))
    assert "thpt@example.org" in welcome.text

    send(settings, TEACHER, [target], reply)  # the same token again
    work(app, settings)
    item = db.session.scalars(select(InboundMessage).order_by(InboundMessage.id.desc())).first()
    assert item is not None
    assert "confirm: used" in item.outcome


def test_an_expired_token_gets_a_clear_answer(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _join(settings, app)
    db.session.execute(update(PendingRequest).values(expires_at=PendingRequest.created_at))
    db.session.commit()
    target, reply = _reply_to(_only(sink, TEACHER), TEACHER)
    send(settings, TEACHER, [target], reply)
    work(app, settings)
    assert find_member(db.session(), thpt, TEACHER) is None
    note = sink.for_recipient(TEACHER.lower())[-1].text
    assert "expired" in note


def test_a_stranger_cannot_confirm_for_someone_else(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _join(settings, app)
    target, reply = _reply_to(_only(sink, TEACHER), "mallory@evil.example")
    send(settings, "mallory@evil.example", [target], reply)
    work(app, settings)
    assert find_member(db.session(), thpt, TEACHER) is None


def test_repeated_requests_are_limited_and_told_once_when_to_try_again(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    for n in range(5):
        raw = _mail(TEACHER, "dangky-thpt@example.org", f"join {n}", f"lần {n}")
        send(settings, TEACHER, ["dangky-thpt@example.org"], raw)
    work(app, settings)
    received = sink.for_recipient(TEACHER.lower())
    assert len(received) == 3  # two confirmations (one lost may be asked again), one notice
    assert ["[confirm " in _subject(r) for r in received] == [True, True, False]
    assert re.search(r"try again at \d\d:\d\d", received[-1].text)


def test_auto_replies_to_the_join_address_are_ignored(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    raw = _mail(
        TEACHER,
        "dangky-thpt@example.org",
        "Out of office",
        "Tôi đi vắng.",
        "Auto-Submitted: auto-replied\n",
    )
    send(settings, TEACHER, ["dangky-thpt@example.org"], raw)
    send(
        settings,
        "",
        ["thpt-join@example.org"],
        _mail("MAILER-DAEMON@x.example", "thpt-join@example.org", "failure", "x"),
    )
    work(app, settings)
    assert sink.received == []


def test_already_a_member_gets_a_polite_note_and_no_duplicate(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _join(settings, app, "alice@school.edu.vn")
    assert "already a member" in _only(sink, "alice@school.edu.vn").text


def test_reply_to_the_no_reply_address_with_the_token_quoted_confirms(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _join(settings, app)
    confirmation = _only(sink, TEACHER)
    _, reply = _reply_to(confirmation, TEACHER)
    send(settings, TEACHER, ["noreply@example.org"], reply)
    work(app, settings)
    assert find_member(db.session(), thpt, TEACHER) is not None


def test_request_address_commands(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    send(
        settings,
        TEACHER,
        ["thpt-request@example.org"],
        _mail(TEACHER, "thpt-request@example.org", "subscribe", ""),
    )
    send(
        settings,
        "bob@other.example",
        ["thpt-request@example.org"],
        _mail("bob@other.example", "thpt-request@example.org", "who", ""),
    )
    send(
        settings,
        "chi@truong.edu.vn",
        ["thpt-request@example.org"],
        _mail("chi@truong.edu.vn", "thpt-request@example.org", "hello there", "what can I do?"),
    )
    work(app, settings)
    assert "confirm" in str(_only(sink, TEACHER).message["Subject"])
    assert "Only the owners" in _only(sink, "bob@other.example").text
    assert "subscribe" in _only(sink, "chi@truong.edu.vn").text


def test_leaving_by_mail_and_focal_points_going_through_the_owners(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    member = find_member(db.session(), thpt, "chi@truong.edu.vn")
    assert member is not None
    member.is_focal_point = True
    db.session.commit()
    for who in ("bob@other.example", "chi@truong.edu.vn"):
        send(
            settings,
            who,
            ["thpt-leave@example.org"],
            _mail(who, "thpt-leave@example.org", "bye", ""),
        )
    work(app, settings)
    target, reply = _reply_to(_only(sink, "bob@other.example"), "bob@other.example")
    send(settings, "bob@other.example", [target], reply)
    work(app, settings)
    assert find_member(db.session(), thpt, "bob@other.example") is None
    goodbye = sink.for_recipient("bob@other.example")[-1].message
    assert "You have left" in str(make_header(decode_header(str(goodbye["Subject"]))))
    assert find_member(db.session(), thpt, "chi@truong.edu.vn") is not None
    assert "chi@truong.edu.vn" in _only(sink, "owner@so.example").text


def test_web_subscribe_is_double_opt_in(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
) -> None:
    token = csrf_token(client, "/lists/thpt/")
    assert (
        client.post("/lists/thpt/subscribe", data={"email": TEACHER, "action": "join"}).status_code
        == 400
    )
    bad = client.post(
        "/lists/thpt/subscribe",
        data={"email": TEACHER, "name": "x\r\nBcc: a@b", "csrf_token": token},
    )
    assert bad.status_code == 400
    for unmailable in ("giaovien@abc", "a b@truong.edu.vn", "@truong.edu.vn", "x@-x.vn"):
        refused = client.post(
            "/lists/thpt/subscribe", data={"email": unmailable, "csrf_token": token}
        )
        assert refused.status_code == 400, unmailable
    done = client.post(
        "/lists/thpt/subscribe",
        data={"email": TEACHER, "name": "Cô Lan", "action": "join", "csrf_token": token},
    )
    assert done.status_code == 200
    work(app, settings)
    link = re.search(r"http://forum\.test(/confirm/[0-9a-f]{40})", _only(sink, TEACHER).text)
    assert link is not None
    assert client.get(link.group(1)).status_code == 200
    assert find_member(db.session(), thpt, TEACHER) is None
    form = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get(link.group(1)).get_data(as_text=True)
    )
    assert form is not None
    assert client.post(link.group(1), data={"csrf_token": form.group(1)}).status_code == 200
    assert find_member(db.session(), thpt, TEACHER) is not None


def test_one_click_leave_sends_a_goodbye(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
) -> None:
    add_member(db.session(), thpt, TEACHER)
    db.session.commit()
    from forum.mail.unsubscribe import unsubscribe_url

    url = unsubscribe_url(settings.base_url, settings.secret_key, "thpt", TEACHER)
    assert (
        client.post(
            url.removeprefix(settings.base_url), data={"List-Unsubscribe": "One-Click"}
        ).status_code
        == 200
    )
    work(app, settings)
    assert find_member(db.session(), thpt, TEACHER) is None
    goodbye = _only(sink, TEACHER).message
    assert "You have left" in str(make_header(decode_header(str(goodbye["Subject"]))))


def test_a_signed_in_member_sets_name_unit_and_delivery_mode_and_can_leave(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
) -> None:
    email = "bob@other.example"
    sign_in_by_link(app, settings, sink, client, email)
    page = client.get("/me/").get_data(as_text=True)
    assert "Trung học phổ thông" in page
    token = csrf_token(client, "/me/")
    data = {
        "csrf_token": token,
        "display_name": "Thầy Bình",
        f"unit-{thpt.id}": "THPT Lê Lợi",
        f"mode-{thpt.id}": "digest",
    }
    assert client.post("/me/", data=data).status_code == 302
    member = find_member(db.session(), thpt, email)
    assert member is not None
    assert (member.unit, member.delivery_mode, member.address.display_name) == (
        "THPT Lê Lợi",
        "digest",
        "Thầy Bình",
    )
    bad = client.post("/me/", data={**data, "display_name": "x\r\nBcc: y@z"})
    assert bad.status_code == 400
    client.post(f"/me/leave/{thpt.id}", data={"csrf_token": token})
    assert find_member(db.session(), thpt, email) is None


def test_idn_and_mixed_case_senders_can_join(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    raw = _mail("Thầy Minh <Minh.Tran@xn--trng-hb5bx2e.vn>", "dangky-thpt@example.org", "join", "x")
    send(settings, "Minh.Tran@xn--trng-hb5bx2e.vn", ["dangky-thpt@example.org"], raw)
    work(app, settings)
    (confirmation,) = sink.received
    assert confirmation.rcpt_tos[0].lower() == "minh.tran@xn--trng-hb5bx2e.vn"


def test_a_unicode_domain_is_sent_to_in_its_ascii_form(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    raw = _mail("Thầy Minh <Minh.Tran@Trường.VN>", "dangky-thpt@example.org", "join", "xin vào")
    send(settings, "minh@example.org", ["dangky-thpt@example.org"], raw)
    work(app, settings)
    (confirmation,) = sink.received
    assert confirmation.rcpt_tos == ("minh.tran@xn--trng-rib8295b.vn",)
