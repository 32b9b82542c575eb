"""Our own messages keep every space of a long Vietnamese subject, however it is folded."""

from __future__ import annotations

import sys
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from forum.mail.header_folding import OUTGOING

SUBJECTS = [
    "Đường dẫn đăng nhập Diễn đàn của bạn / Your sign-in link",
    "Xác nhận rời Trung học phổ thông / Confirm leaving Trung học phổ thông",
    "[Cần phúc đáp 2026-12-05] Báo cáo số liệu học sinh các trường trung học phổ thông "
    "trên địa bàn tỉnh năm học 2026–2027",
    "Short ASCII subject",
]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_subject_reads_back_as_written(subject: str) -> None:
    message = EmailMessage(policy=OUTGOING)
    message["Subject"] = subject
    message["From"] = "Cô Lan <lan@truong.edu.vn>"
    message.set_content("Nội dung.\n")
    raw = message.as_bytes()
    head = raw.split(b"\n\n", 1)[0]
    assert head.isascii()
    assert all(len(line) <= 78 for line in head.split(b"\n"))  # folded as RFC 5322 asks
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == subject
    assert parsed["From"].addresses[0].display_name == "Cô Lan"


@pytest.mark.skipif(sys.version_info >= (3, 13), reason="CPython 3.13 folds these correctly")
def test_the_default_policy_loses_the_space_we_keep() -> None:
    """Why the policy exists: if CPython 3.11/3.12's folding is fixed, this test says so."""
    message = EmailMessage()
    message["Subject"] = SUBJECTS[0]
    message.set_content("x\n")
    reread = message_from_bytes(message.as_bytes(), policy=policy.default)["Subject"]
    assert reread != SUBJECTS[0]
