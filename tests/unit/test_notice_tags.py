"""Notice tags and acknowledgement phrases."""

from __future__ import annotations

from datetime import date

import pytest

from forum.notices.tags import NoticeTag, is_acknowledgement_only, parse_notice_tag


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("[Cần phúc đáp 2026-12-05] Báo cáo số liệu", NoticeTag("reply", date(2026, 12, 5))),
        ("[can phuc dap 05/12/2026] so lieu", NoticeTag("reply", date(2026, 12, 5))),
        ("Re: [Cần phúc đáp 5/1/2027] x", NoticeTag("reply", date(2027, 1, 5))),
        (
            "[Giấy mời họp ngày 10/12/2026] Họp giao ban",
            NoticeTag("invitation", date(2026, 12, 10)),
        ),
        ("[Giấy mời] Họp", NoticeTag("invitation", None)),
        ("[Báo cáo trước 2026-12-20] Thống kê", NoticeTag("report", date(2026, 12, 20))),
        ("[Action required by 2026-12-01] Survey", NoticeTag("action", date(2026, 12, 1))),
        ("[THPT] [Cần phúc đáp 2026-12-05] x", NoticeTag("reply", date(2026, 12, 5))),
        ("[Cần phúc đáp 2026-02-30] bad date", NoticeTag("reply", None)),
    ],
)
def test_notice_tags_are_read(subject: str, expected: NoticeTag) -> None:
    assert parse_notice_tag(subject) == expected


@pytest.mark.parametrize("subject", ["Báo cáo tháng 11", "[THPT] Lịch họp", "Giấy mời họp", ""])
def test_ordinary_subjects_are_not_notices(subject: str) -> None:
    assert parse_notice_tag(subject) is None


def test_acknowledgement_only_replies() -> None:
    assert is_acknowledgement_only("Đã nhận.")
    assert is_acknowledgement_only("da nhan, cam on")
    assert is_acknowledgement_only("Received, thanks!")
    assert not is_acknowledgement_only(
        "Đã nhận. Trường chúng tôi xin báo cáo số liệu như sau: 120 học sinh, 8 lớp ..."
    )
    assert not is_acknowledgement_only("Chúng tôi sẽ gửi sau.")
    assert not is_acknowledgement_only("")
