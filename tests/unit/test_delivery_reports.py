"""forum.mail.delivery_reports: RFC 3464 recipient blocks, their Action and Status, and the
addresses in them however they are written (RFC 2047, RFC 6533 utf-8, xtext)."""

from __future__ import annotations

import base64
import email
import quopri

import pytest

from forum.mail.bounces import PARSE_POLICY
from forum.mail.delivery_reports import (
    Outcome,
    RecipientStatus,
    decode_address,
    outcome_of,
    recipients_in_parts,
    recipients_in_ses_json,
    recipients_in_text,
)


@pytest.mark.parametrize(
    ("action", "status", "outcome"),
    [
        ("failed", "5.1.1", Outcome.FAILED),
        ("failed", "", Outcome.FAILED),
        ("Failed (bad mailbox)", "5.0.0", Outcome.FAILED),
        ("error", "5.1.1", Outcome.FAILED),  # OpenSMTPD's word for failed
        ("failed", "4.4.7", Outcome.TEMPORARY),  # given up on a cause that may pass
        ("delayed", "4.4.1", Outcome.DELAYED),
        ("delayed", "5.0.0", Outcome.DELAYED),
        ("delivered", "2.0.0", Outcome.DELIVERED),
        ("relayed", "2.0.0", Outcome.DELIVERED),
        ("expanded", "2.0.0", Outcome.DELIVERED),
        ("", "2.1.5", Outcome.DELIVERED),
        ("", "4.2.2", Outcome.DELAYED),
        ("", "5.1.1", Outcome.FAILED),
        ("", "", Outcome.FAILED),
    ],
)
def test_action_and_status_class_give_the_outcome(
    action: str, status: str, outcome: Outcome
) -> None:
    assert outcome_of(action, status) is outcome


def test_without_a_status_the_diagnostic_code_says_the_class() -> None:
    assert outcome_of("failed", "", "smtp; 452 4.2.2 mailbox full") is Outcome.TEMPORARY
    assert outcome_of("failed", "", "smtp; 550 user unknown") is Outcome.FAILED


@pytest.mark.parametrize(
    ("field", "address"),
    [
        ("rfc822; Lan.Nguyen@Truong.EDU.vn", "lan.nguyen@truong.edu.vn"),
        ("RFC822;<lan@truong.edu.vn>", "lan@truong.edu.vn"),
        ("<lan@truong.edu.vn>", "lan@truong.edu.vn"),  # no address type at all
        ("rfc822; =?utf-8?b?bGFuQHRyxrDhu51uZy52bg==?=", "lan@trường.vn"),
        ("=?utf-8?q?rfc822=3B_l=C3=A2n=40truong=2Evn?=", "lân@truong.vn"),
        ("utf-8; l\\x{E2}n@tr\\x{1B0}\\x{1EDD}ng.vn", "lân@trường.vn"),
        ("utf-8; lân@trường.vn", "lân@trường.vn"),
        ("rfc822; a+2Bb@truong.vn", "a+b@truong.vn"),  # xtext, as an ORCPT is written
        ("rfc822; mailto:lan@truong.vn", "lan@truong.vn"),
        ("x400; /S=lan/OU=truong/C=VN/", ""),
        ("utf-8; l\\x{0}n@truong.vn", ""),  # a NUL
        ("utf-8; l\\x{D800}n@truong.vn", ""),  # a lone surrogate
        ("utf-8; l\\x{110000}n@truong.vn", ""),  # beyond Unicode
        ("rfc822; l+00n@truong.vn", ""),
        ("rfc822; |/usr/bin/procmail", ""),
        ("rfc822; @truong.vn", ""),
        ("", ""),
    ],
)
def test_recipient_addresses_are_decoded(field: str, address: str) -> None:
    assert decode_address(field) == address


REPORT = """\
From: MAILER-DAEMON@mx.truong.vn
Subject: Delivery Status Notification
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Some addresses failed.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.truong.vn

Final-Recipient: rfc822; lan@mailbox.truong.vn
Original-Recipient: rfc822; lan@truong.vn
Action: failed
Status: 5.1.1

Final-Recipient: rfc822; binh@truong.vn
Action: delayed
Status: 4.4.1

Final-Recipient: RFC822; chi@truong.vn
X-Actual-Recipient: RFC822; chi.home@mail.example
Action: delivered
Status: 2.0.0

Reporting-MTA: dns; a block that names nobody

--B--
"""


def test_each_recipient_block_of_a_delivery_status_part() -> None:
    message = email.message_from_string(REPORT, policy=PARSE_POLICY)
    assert recipients_in_parts(message) == (
        RecipientStatus("lan@truong.vn", Outcome.FAILED, "lan@mailbox.truong.vn", "5.1.1"),
        RecipientStatus("binh@truong.vn", Outcome.DELAYED, "", "4.4.1"),
        RecipientStatus("chi@truong.vn", Outcome.DELIVERED, "chi.home@mail.example", "2.0.0"),
    )


@pytest.mark.parametrize("encoding", ["base64", "quoted-printable"])
def test_an_encoded_delivery_status_part_is_read(encoding: str) -> None:
    fields = b"Final-Recipient: rfc822; lan@truong.vn\nAction: failed\nStatus: 5.2.1\n"
    body = base64.encodebytes(fields) if encoding == "base64" else quopri.encodestring(fields)
    raw = (
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n--B\n'
        b"Content-Type: message/delivery-status\nContent-Transfer-Encoding: "
        + encoding.encode()
        + b"\n\n"
        + body
        + b"\n--B--\n"
    )
    message = email.message_from_bytes(raw, policy=PARSE_POLICY)
    assert recipients_in_parts(message) == (
        RecipientStatus("lan@truong.vn", Outcome.FAILED, "", "5.2.1"),
    )


def test_fields_quoted_in_text_and_folded_are_read() -> None:
    text = (
        "The following message could not be delivered.\n\n"
        "Final-Recipient: rfc822;\n    lan@truong.vn\nAction: failed\nStatus: 5.1.1\n\n"
        "Thanks.\n"
    )
    assert recipients_in_text(text) == (
        RecipientStatus("lan@truong.vn", Outcome.FAILED, "", "5.1.1"),
    )
    assert recipients_in_text("Action: failed\nStatus: 5.1.1\n") == ()


def test_an_ses_bounce_notification_is_read() -> None:
    text = (
        '{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":'
        '[{"emailAddress":"lan@truong.vn","action":"failed","status":"5.1.1"},'
        '{"emailAddress":"binh@truong.vn"}]}}'
    )
    assert recipients_in_ses_json(text) == (
        RecipientStatus("lan@truong.vn", Outcome.FAILED, "", "5.1.1"),
        RecipientStatus("binh@truong.vn", Outcome.FAILED, "", ""),
    )
    delivered = '{"notificationType": "Delivery", "delivery": {"recipients": ["lan@truong.vn"]}}'
    assert recipients_in_ses_json(delivered) == (
        RecipientStatus("lan@truong.vn", Outcome.DELIVERED),
    )


@pytest.mark.parametrize(
    "text",
    [
        "no json here",
        '{"notificationType": "Bounce", "bounce": ',
        '{"notificationType": "Bounce", "bounce": "gone"}',
        '{"notificationType": "Bounce", "bounce": {"bouncedRecipients": [1, null, "x"]}}',
        '{"notificationType": "Bounce", "bounce": {"bouncedRecipients": [{"emailAddress": 7}]}}',
        '{"notificationType": "Delivery", "delivery": {"recipients": [{"a": 1}, 5]}}',
        '{"notificationType": "Delivery", "delivery": []}',
        '["notificationType"]',
        '{"Message": "{\\"notificationType\\": \\"Bounce\\"}", "notificationType": 1}',
        "{" * 5000 + '"notificationType"',
    ],
)
def test_an_ses_notification_of_any_other_shape_names_nobody(text: str) -> None:
    assert recipients_in_ses_json(text) == ()
