"""The head of a draft, laid out as the document sets it."""

from __future__ import annotations

from pathlib import Path

from forum.drafting.front_matter import FrontMatter, front_matter
from forum.drafting.structure import parse_draft

DRAFTS = Path(__file__).parent / "drafts"


def test_a_thong_tu_has_its_letterhead_mark_type_and_subject() -> None:
    found = front_matter(parse_draft((DRAFTS / "thong_tu_day_them.txt").read_text()).front)
    assert found == FrontMatter(
        issuer=("BỘ GIÁO DỤC VÀ ĐÀO TẠO", "Số: /2025/TT-BGDĐT"),
        motto=(
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Hà Nội, ngày tháng năm 2025",
        ),
        draft_mark="DỰ THẢO",
        doc_type="THÔNG TƯ",
        subject=("Quy định về dạy thêm, học thêm",),
    )


def test_a_mark_on_the_type_line_and_the_signer_after_the_subject() -> None:
    text = (DRAFTS / "quyet_dinh_ke_hoach_nam_hoc.txt").read_text()
    found = front_matter(parse_draft(text).front)
    assert (found.draft_mark, found.doc_type) == ("DỰ THẢO", "QUYẾT ĐỊNH")
    assert found.subject[0] == "Về việc ban hành Kế hoạch thời gian năm học 2025-2026"
    assert found.signer == ("GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO",)


def test_a_draft_without_a_head_has_none() -> None:
    assert front_matter(parse_draft("Điều 1. Phạm vi\nNội dung.\n").front) == FrontMatter()
