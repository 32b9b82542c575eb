"""forum.mail.auto_replies: vacation replies in English and Vietnamese, challenge/response
filters, and what makes mail look like a non-delivery notice."""

from __future__ import annotations

import pytest

from forum.mail.auto_replies import is_challenge, is_vacation_reply, looks_like_a_bounce

PERSON = {"from": "Nguyễn Thị Lan <lan@truong.edu.vn>"}
DAEMON = {"from": "Mail Delivery System <MAILER-DAEMON@mx.truong.edu.vn>"}


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: Lịch họp tháng 12",
        "OUT OF THE OFFICE",
        "Automatic reply: Lịch họp",
        "Auto reply: Lịch họp",
        "AutoReply",
        "Trả lời tự động: Lịch họp tháng 12",
        "tra loi tu dong: Lich hop",
        "Vắng mặt: Lịch họp",
        "Vang mat tu 1/12 den 5/12",
        "Đang nghỉ phép",
        "Re: Out of office",
        "Abwesenheitsnotiz: Lịch họp",
        "Réponse automatique : Lịch họp",
    ],
)
def test_vacation_subjects(subject: str) -> None:
    assert is_vacation_reply(PERSON, subject)


@pytest.mark.parametrize(
    "headers",
    [
        {**PERSON, "x-autoreply": "yes"},
        {**PERSON, "x-autorespond": "Lịch nghỉ"},
        {**PERSON, "precedence": "auto_reply"},
        {**PERSON, "x-apple-action": "VACATION"},
        {**PERSON, "auto-submitted": "auto-replied"},  # Gmail keeps the subject: "Re: …"
    ],
)
def test_vacation_headers(headers: dict[str, str]) -> None:
    assert is_vacation_reply(headers, "Re: Lịch họp tháng 12")


@pytest.mark.parametrize(
    ("headers", "subject"),
    [
        # Postfix and Gmail mark their bounces auto-replied too.
        ({**DAEMON, "auto-submitted": "auto-replied"}, "Undelivered Mail Returned to Sender"),
        ({**DAEMON, "auto-submitted": "auto-replied"}, "Delivery Status Notification (Failure)"),
        # The bounce of a post whose subject happens to say "absent".
        (DAEMON, "Undeliverable: Vắng mặt họp ngày 5"),
        ({"from": "postmaster@truong.edu.vn"}, "Không gửi được: Vắng mặt họp ngày 5"),
        (PERSON, "Re: Lịch họp tháng 12"),
        (PERSON, "Văn phòng vắng mặt trong cuộc họp"),  # the words, not at the start
        ({**PERSON, "auto-submitted": "no"}, "Lịch họp"),
    ],
)
def test_not_a_vacation_reply(headers: dict[str, str], subject: str) -> None:
    assert not is_vacation_reply(headers, subject)


@pytest.mark.parametrize(
    ("headers", "subject", "bounce"),
    [
        (DAEMON, "anything", True),
        ({"from": "<>"}, "anything", True),
        ({"from": "MDaemon@webmail.example.py"}, "Warning", True),
        (PERSON, "Undelivered Mail Returned to Sender", True),
        (PERSON, "failure notice", True),
        (PERSON, "Mail delivery failed: returning message to sender", True),
        (PERSON, "Thư bị trả lại", True),
        (PERSON, "Lịch họp tháng 12", False),
        ({"from": "daemon.fan@example.org"}, "Re: Lịch họp", False),
    ],
)
def test_looks_like_a_bounce(headers: dict[str, str], subject: str, bounce: bool) -> None:
    assert looks_like_a_bounce(headers, subject) is bounce


CHALLENGE_TEXT = (
    "I am protecting myself from junk mail. Please click the link below to verify that you "
    "are a human, and your message will be delivered."
)


@pytest.mark.parametrize(
    ("headers", "subject", "text"),
    [
        (PERSON, "Please confirm your message", CHALLENGE_TEXT),
        ({"from": "noreply@spamarrest.example"}, "Verification required", CHALLENGE_TEXT),
        (PERSON, "Re: Lịch họp", CHALLENGE_TEXT),
        ({**PERSON, "x-boxtrapper": "1"}, "Re: Lịch họp", "Reply to get through."),
    ],
)
def test_challenges(headers: dict[str, str], subject: str, text: str) -> None:
    assert is_challenge(headers, subject, text)


@pytest.mark.parametrize(
    ("headers", "subject", "text"),
    [
        (DAEMON, "Undelivered Mail Returned to Sender", "Please verify the recipient address."),
        (PERSON, "Re: Lịch họp", "Xin xác nhận lịch họp tháng 12 giúp tôi."),
        (PERSON, "Lịch họp", "Kính gửi các trường."),
    ],
)
def test_not_challenges(headers: dict[str, str], subject: str, text: str) -> None:
    assert not is_challenge(headers, subject, text)
