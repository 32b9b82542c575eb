"""Mail in and out over real sockets: smtplib -> our aiosmtpd server -> pipeline -> outbox ->
a real SMTP sink acting as the smarthost, and the web archive in between."""

from __future__ import annotations

import smtplib
import socket
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from archive.models import MailingList, Message
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member, find_member
from forum.mail.bounces import verp_sender
from forum.mail.dmarc import DmarcCache, dns_resolver
from forum.mail.server import start_server
from forum.models import Delivery, InboundMessage, ListPolicy
from forum.settings import Settings
from tests.dns_server import FixedDnsServer
from tests.integration.mail.conftest import MEMBERS, post_mail, send, work
from tests.mail import raw_mail
from tests.smtp_sink import Sink, free_port


def test_a_post_reaches_every_member_decorated_and_a_reply_threads_under_it(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
) -> None:
    send(settings, MEMBERS[0], ["THPT@example.org"], post_mail(MEMBERS[0], "post1@school.edu.vn"))
    work(app, settings)
    everyone = [*MEMBERS, "owner@so.example"]
    assert sorted(sink.recipients()) == sorted(everyone)
    for recipient in everyone:
        (copy,) = sink.for_recipient(recipient)
        assert copy.mail_from == verp_sender("thpt", "example.org", recipient)
        message = copy.message
        assert message["List-Id"].endswith("<thpt.example.org>")
        assert message["List-Post"] == "<mailto:thpt@example.org>"
        assert "List-Unsubscribe=One-Click" in message["List-Unsubscribe-Post"]
        assert "/lists/thpt/unsubscribe/" in message["List-Unsubscribe"]
        assert message["Precedence"] == "list"
        archived = message["Archived-At"].strip("<>")
    stored = db.session.scalars(select(Message).where(Message.list_id == thpt.id)).one()
    page = client.get(archived.removeprefix(settings.base_url))
    assert page.status_code == 200
    assert "Lịch họp tháng 12" in page.get_data(as_text=True)

    delivered = sink.for_recipient("bob@other.example")[0].message
    reply = raw_mail(
        "reply1@other.example",
        sender="bob@other.example",
        subject="Re: " + str(delivered["Subject"]),
        in_reply_to=delivered["Message-ID"].strip("<>"),
        to="thpt@example.org",
    )
    send(settings, "bob@other.example", ["thpt@example.org"], reply)
    work(app, settings)
    answer = db.session.scalars(
        select(Message).where(Message.message_id == "reply1@other.example")
    ).one()
    assert answer.thread_id == stored.thread_id
    assert answer.parent_message_id == stored.message_id
    assert len(sink.received) == 2 * len(everyone)


def test_unknown_recipients_are_refused_with_550(
    settings: Settings, server: Controller, thpt: MailingList
) -> None:
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(settings, "x@y.example", ["nobody@example.org"], post_mail("x@y.example", "r@y"))
    assert next(iter(refused.value.recipients.values()))[0] == 550
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(settings, "x@y.example", ["someone@gmail.com"], post_mail("x@y.example", "r2@y"))


def test_oversize_mail_is_refused_with_552(
    settings: Settings, server: Controller, thpt: MailingList
) -> None:
    huge = post_mail(MEMBERS[0], "huge@x", body="x" * 400_000)
    with pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused)) as refused:
        send(settings, MEMBERS[0], ["thpt@example.org"], huge)
    assert refused.value.smtp_code == 552
    assert db.session.scalar(select(InboundMessage.id)) is None


def test_database_down_answers_451_and_the_retry_is_stored(
    settings: Settings,
    server: Controller,
    thpt: MailingList,
    tmp_path: Path,
    no_outbound_smtp: set[int],
) -> None:
    from forum import create_app

    broken = settings.but(
        database_url=f"sqlite:///{tmp_path / 'missing-folder' / 'db.sqlite3'}",
        data_dir=tmp_path / "broken",
        smtpd_port=free_port(),
    )
    no_outbound_smtp.add(broken.smtpd_port)
    down = start_server(create_app(broken), port=broken.smtpd_port)
    try:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            send(broken, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "later@x"))
        assert next(iter(refused.value.recipients.values()))[0] == 451
    finally:
        down.stop()
    send(settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "later@x"))
    assert db.session.scalars(select(InboundMessage)).one().state == "queued"


def test_lmtp_answers_once_per_recipient(
    app: Flask, thpt: MailingList, no_outbound_smtp: set[int]
) -> None:
    port = free_port()
    controller = start_server(app, port=port, lmtp=True)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            stream = conn.makefile("rwb")

            def say(line: bytes) -> bytes:
                stream.write(line + b"\r\n")
                stream.flush()
                return stream.readline()

            stream.readline()  # greeting
            stream.write(b"LHLO test\r\n")
            stream.flush()
            while not stream.readline().startswith(b"250 "):
                pass
            assert say(b"MAIL FROM:<alice@school.edu.vn>").startswith(b"250")
            assert say(b"RCPT TO:<thpt@example.org>").startswith(b"250")
            assert say(b"RCPT TO:<dangky-THPT@example.org>").startswith(b"250")
            assert say(b"RCPT TO:<stranger@example.org>").startswith(b"550")
            assert say(b"DATA").startswith(b"354")
            stream.write(post_mail(MEMBERS[0], "lmtp@x").replace(b"\n", b"\r\n") + b".\r\n")
            stream.flush()
            answers = [stream.readline(), stream.readline()]
            assert all(a.startswith(b"250") for a in answers)
    finally:
        controller.stop()
    stored = db.session.scalars(select(InboundMessage)).one()
    assert stored.recipient_list == ["thpt@example.org", "dangky-THPT@example.org"]


def test_smarthost_down_then_up_delivers_each_copy_exactly_once(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    sink.stop()
    send(settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "down@x"))
    work(app, settings)
    states = db.session.scalars(select(Delivery.state)).all()
    assert states
    assert set(states) == {"deferred"}
    sink.start()
    work(app, settings)
    work(app, settings)
    assert sorted(sink.recipients()) == sorted([*MEMBERS, "owner@so.example"])
    assert set(db.session.scalars(select(Delivery.state))) == {"sent"}


def test_non_members_are_held_and_loops_and_auto_replies_dropped(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    send(
        settings,
        "stranger@x.example",
        ["thpt@example.org"],
        post_mail("stranger@x.example", "s1@x"),
    )
    looped = post_mail(MEMBERS[1], "loop1@x").replace(
        b"Subject:", b"List-Id: THPT <thpt.example.org>\nSubject:", 1
    )
    send(settings, MEMBERS[1], ["thpt@example.org"], looped)
    vacation = raw_mail("auto1@x", sender=MEMBERS[2], to="dangky-thpt@example.org").replace(
        b"Subject:", b"Auto-Submitted: auto-replied\nSubject:", 1
    )
    send(settings, MEMBERS[2], ["dangky-thpt@example.org"], vacation)
    work(app, settings)
    items = db.session.scalars(select(InboundMessage).order_by(InboundMessage.id)).all()
    assert [i.state for i in items] == ["held", "done", "done"]
    assert "not a member" in items[0].outcome
    assert "loop" in items[1].outcome
    assert "automatic" in items[2].outcome
    # Only the held sender hears from us: their post awaits approval.
    assert [r.rcpt_tos for r in sink.received] == [("stranger@x.example",)]
    assert "waiting for a moderator" in sink.received[0].text
    assert db.session.scalar(select(Message.id)) is None


def test_a_corpus_dsn_raises_the_score_and_disables_delivery_past_the_threshold(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList, corpus: Path
) -> None:
    db.session.add(ListPolicy(list_id=thpt.id, bounce_threshold=1.5))
    add_member(db.session(), thpt, "yyyyy@digicool.com")  # the address postfix_02 reports
    db.session.commit()
    dsn = (corpus / "bounces" / "flufl.bounce" / "postfix_02.txt").read_bytes()
    for _ in range(2):
        send(settings, "", ["thpt-bounces@example.org"], dsn)
        work(app, settings)
    member = find_member(db.session(), thpt, "yyyyy@digicool.com")
    assert member is not None
    assert member.bounce_score == 1.0  # counted once a day
    assert member.delivery_enabled is True
    assert member.last_bounce_at is not None
    member.last_bounce_at -= timedelta(days=1)  # the next day
    db.session.commit()
    send(settings, "", ["thpt-bounces@example.org"], dsn)
    work(app, settings)
    assert member.bounce_score > 1.85  # 1.0 halved over a week for a day, plus 1.0
    assert member.delivery_enabled is False
    (notice,) = sink.for_recipient("owner@so.example")
    assert "yyyyy@digicool.com" in notice.text


def test_a_flood_of_forged_bounces_counts_once_a_day(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    db.session.add(ListPolicy(list_id=thpt.id, bounce_threshold=2.0))
    db.session.commit()
    verp = f"thpt-bounces+{MEMBERS[0].replace('@', '=')}@example.org"
    forged = (
        f"From: MAILER-DAEMON@evil.example\nTo: {verp}\nSubject: Undelivered Mail\n"
        "Auto-Submitted: auto-replied\n\nThis address does not exist.\n"
    ).encode()
    for _ in range(10):
        send(settings, "", [verp], forged)
    work(app, settings)
    member = find_member(db.session(), thpt, MEMBERS[0])
    assert member is not None
    assert member.bounce_score == 1.0
    assert member.delivery_enabled is True
    assert sink.for_recipient("owner@so.example") == []


def test_dmarc_reject_domain_gets_its_from_munged(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    add_member(db.session(), thpt, "dung@strict.example", "Dũng")
    db.session.commit()
    with FixedDnsServer({"_dmarc.strict.example": ["v=DMARC1; p=reject"]}) as dns:
        policies = DmarcCache(dns_resolver(dns.address))
        send(
            settings,
            "dung@strict.example",
            ["thpt@example.org"],
            post_mail("Dũng <dung@strict.example>", "d1@x"),
        )
        work(app, settings, policies)
    copy = sink.for_recipient(MEMBERS[1])[0].message
    name, address = parseaddr(str(copy["From"]))
    assert address == "thpt@example.org"
    assert "dung@strict.example" in str(copy["Reply-To"])


def test_inject_queues_from_a_pipe_and_refuses_unknown_lists(
    runner: FlaskCliRunner, thpt: MailingList
) -> None:
    result = runner.invoke(args=["inject", "thpt"], input=post_mail(MEMBERS[0], "inj@x"))
    assert result.exit_code == 0, result.output
    assert db.session.scalars(select(InboundMessage)).one().recipients == "thpt@example.org"
    unknown = runner.invoke(args=["inject", "nosuch"], input=b"x")
    assert unknown.exit_code == 67


def test_the_one_click_unsubscribe_link_of_a_delivered_copy_works_without_sign_in(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
) -> None:
    send(settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "unsub@x"))
    work(app, settings)
    header = " ".join(
        str(sink.for_recipient("bob@other.example")[0].message["List-Unsubscribe"]).split()
    )
    url = next(part.strip(" <>") for part in header.split(",") if "http" in part)
    path = url.removeprefix(settings.base_url)
    assert client.get(path).status_code == 200  # a link checker's GET changes nothing
    assert find_member(db.session(), thpt, "bob@other.example") is not None
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert find_member(db.session(), thpt, "bob@other.example") is None
    assert client.post(path[:-3] + "xyz", data={}).status_code == 404  # forged token


def test_a_post_to_two_groups_is_archived_in_each_and_received_once(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    thcs, _ = ensure_list(db.session(), ListSpec("thcs", "Trung học cơ sở", ""), "example.org")
    for email in (MEMBERS[1], "only.thcs@truong.edu.vn"):
        add_member(db.session(), thcs, email)
    add_member(db.session(), thcs, MEMBERS[0])
    db.session.commit()
    raw = post_mail(MEMBERS[0], "both@so.example", "Thông báo chung").replace(
        b"To: thpt@example.org", b"To: thpt@example.org, thcs@example.org"
    )
    send(settings, MEMBERS[0], ["thpt@example.org", "thcs@example.org"], raw)
    work(app, settings)
    archived = db.session.scalars(
        select(Message.list_id).where(Message.message_id == "both@so.example")
    ).all()
    assert sorted(archived) == sorted([thpt.id, thcs.id])
    for person in (*MEMBERS, "owner@so.example", "only.thcs@truong.edu.vn"):
        assert len(sink.for_recipient(person)) == 1, person


def test_a_5xx_refusal_is_recorded_as_a_permanent_failure(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    sink.refuse.add(MEMBERS[1])
    send(settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "refused@x"))
    work(app, settings)
    states = dict(db.session.execute(select(Delivery.recipient, Delivery.state)).all())
    assert states[MEMBERS[1]] == "failed"
    assert states[MEMBERS[2]] == "sent"
    error = db.session.scalar(select(Delivery.last_error).where(Delivery.recipient == MEMBERS[1]))
    assert error is not None
    assert error.startswith("550")


def test_without_a_smarthost_mail_goes_to_the_maildir(
    app: Flask, settings: Settings, server: Controller, thpt: MailingList
) -> None:
    local = settings.but(smtp_url="")
    send(settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "maildir@x"))
    work(app, local)
    files = list((local.maildir / "new").iterdir())
    assert len(files) == len(MEMBERS) + 1
    assert any(b"Delivered-To: bob@other.example" in f.read_bytes() for f in files)


def test_inject_answers_75_when_the_database_is_away(tmp_path: Path, settings: Settings) -> None:
    from forum import create_app

    broken = settings.but(
        database_url=f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite3'}",
        data_dir=tmp_path / "d",
    )
    down = create_app(broken)
    with down.app_context():
        result = down.test_cli_runner().invoke(args=["inject", "thpt"], input=b"Subject: x\n\nx\n")
    assert result.exit_code == 75
