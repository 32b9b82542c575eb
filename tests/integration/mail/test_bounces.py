"""Each kind of mail to a bounce address, over real SMTP and through the real worker, against a
member's VERP address: only a permanent failure raises the score in full, complaints are
recorded for the owners, and automatic replies never cut a member off."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from archive.models import MailingList
from forum.extensions import db
from forum.lists.members import add_member, find_member
from forum.mail.bounces import verp_sender
from forum.models import InboundMessage, ListPolicy, Member
from forum.settings import Settings
from tests.integration.mail.conftest import MEMBERS, send, work
from tests.smtp_sink import Sink
from tests.web import sign_in_by_link

ALICE = MEMBERS[0]
VERP = verp_sender("thpt", "example.org", ALICE)
OWNER = "owner@so.example"


def dsn(recipient: str, action: str, status: str, original: str = "") -> bytes:
    """A delivery status notification (RFC 3464) with one recipient block."""
    original_field = f"Original-Recipient: rfc822; {original}\n" if original else ""
    return f"""\
From: Mail Delivery System <MAILER-DAEMON@mx.school.edu.vn>
To: {VERP}
Subject: Delivery Status Notification
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="R"

--R
Content-Type: text/plain

About your message to the list.

--R
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.school.edu.vn

Final-Recipient: rfc822; {recipient}
{original_field}Action: {action}
Status: {status}
Diagnostic-Code: smtp; {status[0]}50 {status} mailbox says so

--R
Content-Type: text/rfc822-headers

From: thpt@example.org
Subject: Lich hop
Message-ID: <post1@example.org>

--R--
""".encode()


VACATION = f"""\
From: Nguyen Thi Alice <{ALICE}>
To: {VERP}
Subject: =?utf-8?q?Tr=E1=BA=A3_l=E1=BB=9Di_t=E1=BB=B1_=C4=91=E1=BB=99ng=3A?=
 =?utf-8?q?_L=E1=BB=8Bch_h=E1=BB=8Dp?=
Auto-Submitted: auto-replied
Content-Type: text/plain; charset=utf-8

Tôi đang nghỉ phép đến hết ngày 15.
""".encode()

ARF = f"""\
From: Feedback Loop <fbl@mail.example.net>
To: thpt-bounces@example.org
Subject: Email Feedback Report
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="F"

--F
Content-Type: text/plain

A user marked this message as spam.

--F
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ExampleFBL/1.0
Version: 1
Original-Mail-From: <{VERP}>
Original-Rcpt-To: <redacted@example.net>

--F
Content-Type: message/rfc822

From: thpt@example.org
To: redacted@example.net
Subject: Lich hop
Message-ID: <post2@example.org>

Body.
--F--
""".encode()

CHALLENGE = f"""\
From: Spam Filter <verify@school.edu.vn>
To: {VERP}
Subject: Please confirm your message
Content-Type: text/plain

I am protecting myself from junk mail. Please click the link below to verify that you are
a human; then your message will be delivered to {ALICE}.
""".encode()

PERSON = f"""\
From: Binh <binh@other.example>
To: {VERP}
Subject: Re: Lich hop

Who do I ask about the meeting?
""".encode()


def _member(mlist: MailingList, email: str = ALICE) -> Member:
    db.session.expire_all()
    member = find_member(db.session(), mlist, email)
    assert member is not None
    return member


def _outcomes() -> list[str]:
    return [
        i.outcome for i in db.session.scalars(select(InboundMessage).order_by(InboundMessage.id))
    ]


@pytest.mark.parametrize(
    ("report", "score", "said"),
    [
        pytest.param(dsn(ALICE, "failed", "5.1.1"), 1.0, "failed, score 1.0", id="permanent"),
        pytest.param(dsn(ALICE, "failed", "4.2.2"), 0.5, "temporary, score 0.5", id="gave-up-4xx"),
        pytest.param(dsn(ALICE, "delayed", "4.4.1"), 0.0, "delayed, not counted", id="delayed"),
        pytest.param(
            dsn(ALICE, "delivered", "2.0.0"), 0.0, "delivered, not counted", id="delivered"
        ),
        pytest.param(dsn(ALICE, "relayed", "2.0.0"), 0.0, "delivered, not counted", id="relayed"),
        pytest.param(
            dsn("alice@mailbox.internal", "failed", "5.1.1", original=ALICE),
            1.0,
            "failed, score 1.0",
            id="forwarded-original-recipient",
        ),
        pytest.param(
            dsn("someone.else@school.edu.vn", "failed", "5.1.1"),
            0.0,
            f"names someone.else@school.edu.vn, not {ALICE}",
            id="names-someone-else",
        ),
        pytest.param(VACATION, 0.0, "vacation reply", id="vacation"),
        pytest.param(CHALLENGE, 0.0, "challenge", id="challenge"),
        pytest.param(PERSON, 0.0, "unknown", id="a-person"),
    ],
)
def test_each_kind_of_mail_to_a_verp_address_scores_what_it_says(
    app: Flask,
    settings: Settings,
    server: Controller,
    thpt: MailingList,
    report: bytes,
    score: float,
    said: str,
) -> None:
    send(settings, "", [VERP], report)
    work(app, settings)
    member = _member(thpt)
    assert member.bounce_score == score
    assert member.delivery_enabled is True
    assert (member.last_bounce_at is not None) is (score > 0)
    assert said in _outcomes()[0]


def test_an_auto_reply_every_day_for_ten_days_leaves_the_member_enabled(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    for _ in range(10):
        send(settings, ALICE, [VERP], VACATION)
        work(app, settings)
        member = _member(thpt)
        if member.last_bounce_at is not None:  # it never is: nothing was counted
            member.last_bounce_at -= timedelta(days=1)
            db.session.commit()
    member = _member(thpt)
    assert (member.bounce_score, member.delivery_enabled, member.last_bounce_at) == (
        0.0,
        True,
        None,
    )
    assert sink.for_recipient(OWNER) == []
    assert all("vacation reply" in outcome for outcome in _outcomes())


def test_a_week_of_permanent_failures_stops_delivery_and_tells_the_owners(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    # The default threshold is 5.0 and the score halves in a week: day 7 crosses it.
    for day in range(7):
        send(settings, "", [VERP], dsn(ALICE, "failed", "5.1.1"))
        work(app, settings)
        member = _member(thpt)
        assert member.delivery_enabled is (day < 6)
        assert member.last_bounce_at is not None
        member.last_bounce_at -= timedelta(days=1)
        db.session.commit()
    assert member.bounce_score > 5.0
    (notice,) = sink.for_recipient(OWNER)
    assert ALICE in notice.text


def test_a_complaint_is_recorded_and_shown_to_the_owners_without_scoring(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
) -> None:
    # To the plain bounce address: the VERP envelope sender in the report names the member.
    send(settings, "", ["thpt-bounces@example.org"], ARF)
    send(settings, "", [VERP], ARF)
    work(app, settings)
    member = _member(thpt)
    assert (member.complaint_count, member.bounce_score) == (2, 0.0)
    assert member.last_complaint_at is not None
    assert member.delivery_enabled is True
    assert all(f"complaint (abuse) recorded for {ALICE}" in o for o in _outcomes())

    sign_in_by_link(app, settings, sink, client, OWNER)
    client.set_cookie("lang", "en")
    page = client.get("/admin/lists/thpt/members/").get_data(as_text=True)
    row = page[page.index(f"<td>{ALICE}</td>") :].split("</tr>", 1)[0]
    assert "2 spam complaints" in row
    other = page[page.index(f"<td>{MEMBERS[1]}</td>") :].split("</tr>", 1)[0]
    assert "spam complaint" not in other


def test_a_dmarc_failure_report_is_not_a_members_complaint(
    app: Flask, settings: Settings, server: Controller, thpt: MailingList
) -> None:
    report = ARF.replace(b"Feedback-Type: abuse", b"Feedback-Type: auth-failure")
    send(settings, "", [VERP], report)
    work(app, settings)
    assert _member(thpt).complaint_count == 0
    assert "auth-failure, not a member's complaint" in _outcomes()[0]


def test_the_rfc3464_fallback_reads_a_report_flufl_bounce_misses(
    app: Flask, settings: Settings, server: Controller, thpt: MailingList, corpus: Path
) -> None:
    # Amazon WorkMail quotes the DSN fields inside text/plain, where no detector looks.
    add_member(db.session(), thpt, "kijitora@example.jp")
    db.session.commit()
    raw = (corpus / "bounces" / "sisimai-A" / "lhost-amazonworkmail-01.eml").read_bytes()
    send(settings, "", ["thpt-bounces@example.org"], raw)
    work(app, settings)
    assert _member(thpt, "kijitora@example.jp").bounce_score == 1.0
    assert "DSN fields in the text" in _outcomes()[0]


def test_an_encoded_failed_address_in_a_report_is_decoded(
    app: Flask, settings: Settings, server: Controller, thpt: MailingList
) -> None:
    add_member(db.session(), thpt, "lan@trường.vn")
    db.session.commit()
    report = dsn("placeholder@x", "failed", "5.1.1").replace(
        b"rfc822; placeholder@x", b"utf-8; lan@tr\\x{1B0}\\x{1EDD}ng.vn"
    )
    send(settings, "", ["thpt-bounces@example.org"], report)
    work(app, settings)
    assert _member(thpt, "lan@trường.vn").bounce_score == 1.0


def test_the_lists_own_address_and_message_ids_are_never_charged(
    app: Flask, settings: Settings, server: Controller, thpt: MailingList
) -> None:
    add_member(db.session(), thpt, "post1@example.org")  # looks like the quoted Message-ID
    db.session.commit()
    notice = b"""\
From: MAILER-DAEMON@mx.school.edu.vn
To: thpt-bounces@example.org
Subject: Undelivered Mail Returned to Sender

I could not deliver your message <post1@example.org> to the following address:

<thpt@example.org>: 550 5.1.1 loop detected
"""
    send(settings, "", ["thpt-bounces@example.org"], notice)
    work(app, settings)
    assert _member(thpt, "post1@example.org").bounce_score == 0.0
    assert _outcomes()[0].endswith("a non-delivery notice naming no address")


def test_a_threshold_below_one_failure_still_counts_a_day_at_most(
    app: Flask, settings: Settings, server: Controller, thpt: MailingList
) -> None:
    db.session.add(ListPolicy(list_id=thpt.id, bounce_threshold=0.75))
    db.session.commit()
    for _ in range(3):
        send(settings, "", [VERP], dsn(ALICE, "failed", "4.2.2"))
    work(app, settings)
    member = _member(thpt)
    assert (member.bounce_score, member.delivery_enabled) == (0.5, True)
