"""Comments written the way officials write them: a lead citation over several paragraphs,
`Điều N Thông tư` meaning this draft, `Phần`/`Mục`/`Chương` citations, and a góp ý letter
(công văn) pasted into the mail, whose letterhead, recipients and signer are not comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from forum.drafting.provisions import Comment, extract_comments, references
from forum.drafting.replies import split_reply
from forum.drafting.structure import Draft, parse_draft

DRAFTS = Path(__file__).parent / "drafts"


@pytest.fixture(scope="module")
def day_them() -> Draft:
    return parse_draft((DRAFTS / "thong_tu_day_them.txt").read_text("utf-8"))


@pytest.fixture(scope="module")
def danh_gia() -> Draft:
    return parse_draft((DRAFTS / "thong_tu_danh_gia.txt").read_text("utf-8"))


def anchors(comments: list[Comment]) -> list[tuple[str | None, str]]:
    return [(comment.anchor, comment.how) for comment in comments]


LEAD_OVER_PARAGRAPHS = """Kính gửi Ban soạn thảo,

Góp ý khoản 2 Điều 6:

Số học sinh 45 em/lớp là phù hợp với trường ở thành phố.

Tuy nhiên, ở vùng đông dân cư nên cho phép đến 50 học sinh.

- Cần quy định thêm về diện tích phòng học.
- Cần có giáo viên hỗ trợ khi lớp đông.

Góp ý Điều 9:
Nên công khai cả trên bảng tin của nhà trường.

Cổng thông tin cấp xã nhiều nơi chưa có.

Ngoài ra, đề nghị sớm ban hành Thông tư.

Trân trọng,
Nguyễn Văn Tâm
"""


def test_a_lead_citation_holds_over_the_paragraphs_and_items_under_it(day_them: Draft) -> None:
    comments = extract_comments(LEAD_OVER_PARAGRAPHS, day_them)
    assert anchors(comments) == [
        ("dieu-6-khoan-2", "named"),
        ("dieu-6-khoan-2", "named"),
        ("dieu-6-khoan-2", "named"),
        ("dieu-9", "named"),
        (None, "general"),
    ]
    first = comments[0].text
    assert first.startswith("Góp ý khoản 2 Điều 6:\nSố học sinh 45 em/lớp")
    assert first.endswith("nên cho phép đến 50 học sinh.")
    assert comments[1].text == "- Cần quy định thêm về diện tích phòng học."
    assert comments[3].text.endswith("Cổng thông tin cấp xã nhiều nơi chưa có.")
    assert comments[4].text == "Ngoài ra, đề nghị sớm ban hành Thông tư."


def test_a_lead_ends_at_a_closing_or_a_turn_to_the_whole_draft(day_them: Draft) -> None:
    text = (
        "Về Điều 8:\n\nGiáo viên cần báo cáo hiệu trưởng.\n\nViệc này nên làm bằng văn bản.\n\n"
        "Nhìn chung dự thảo đã rõ ràng.\n\nCảm ơn Ban soạn thảo.\n"
    )
    comments = extract_comments(text, day_them)
    assert anchors(comments) == [("dieu-8", "named"), (None, "general")]
    assert "bằng văn bản" in comments[0].text


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("Đề nghị sửa khoản 1 Điều 6 Thông tư như sau: không quá 03 tiết/tuần.", "dieu-6-khoan-1"),
        ("Điều 4 Thông tư chưa tính đến học sinh khuyết tật.", "dieu-4"),
        ("Khoản 2 Điều 9 của Thông tư cần thêm mức thu tối đa.", "dieu-9-khoan-2"),
        ("Đề nghị bỏ Điều 12 dự thảo Thông tư.", "dieu-12"),
    ],
)
def test_an_article_of_the_thong_tu_without_number_or_year_is_this_draft(
    day_them: Draft, text: str, anchor: str
) -> None:
    assert anchors(extract_comments(text, day_them)) == [(anchor, "named")]


@pytest.mark.parametrize(
    "text",
    [
        "Theo Điều 6 Thông tư số 17/2012/TT-BGDĐT thì không được dạy thêm.",
        "Điều 6 Thông tư 17/2012 đã quy định rồi.",
        "Khoản 1 Điều 6 Thông tư hiện hành đã quy định rồi.",
        "Điều 6 Nghị định quy định khác.",
        "Điều 6 Luật Giáo dục quy định khác.",
    ],
)
def test_a_number_a_year_or_another_type_of_text_makes_it_another_text(
    day_them: Draft, text: str
) -> None:
    assert anchors(extract_comments(text, day_them)) == [(None, "general")]


def test_a_quyet_dinh_draft_does_not_own_thong_tu_articles() -> None:
    text = (DRAFTS / "quyet_dinh_ke_hoach_nam_hoc.txt").read_text("utf-8")
    draft = parse_draft(text)
    assert anchors(extract_comments("Điều 2 Thông tư quy định khác.", draft)) == [(None, "general")]
    assert anchors(extract_comments("Điều 2 Quyết định: lùi ngày khai giảng.", draft)) == [
        ("dieu-2", "named")
    ]


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("Góp ý Phần thứ hai: nên tách đánh giá định kỳ thành phần riêng.", "phan-thu-hai"),
        ("Phần thứ ba cần thêm trách nhiệm của phòng giáo dục.", "phan-thu-ba"),
        ("PHẦN THỨ NHẤT: đề nghị bổ sung giải thích từ ngữ.", "phan-thu-nhat"),
        ("Phần II: nên sắp xếp lại.", "phan-thu-hai"),
        ("Mục 2 Chương I: cần quy định cách làm tròn điểm.", "chuong-i-muc-2"),
        ("Mục 2: nên bổ sung kiểm tra trực tuyến.", "chuong-i-muc-2"),
        ("Góp ý mục 1 chương I: nhận xét cần ngắn gọn.", "chuong-i-muc-1"),
        ("Chương II cần thêm đánh giá năng lực.", "chuong-ii"),
        ("Khoản 2 Điều 5 Thông tư: nên có 03 điểm thường xuyên.", "dieu-5-khoan-2"),
    ],
)
def test_part_section_and_chapter_citations_attach_to_those_levels(
    danh_gia: Draft, text: str, anchor: str
) -> None:
    assert anchors(extract_comments(text, danh_gia)) == [(anchor, "named")]


def test_a_lead_naming_a_part_holds_over_its_paragraphs(danh_gia: Draft) -> None:
    text = "Về Phần thứ hai:\n\nNên giảm số bài kiểm tra.\n\nCần thêm đánh giá năng lực.\n"
    assert anchors(extract_comments(text, danh_gia)) == [("phan-thu-hai", "named")]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Phần thứ hai", {"part": "2"}),
        ("phần thứ ba", {"part": "3"}),
        ("Phần II", {"part": "2"}),
        ("Mục 2 Chương I", {"section": "2", "chapter": "1"}),
        ("mục 2", {"section": "2"}),
    ],
)
def test_part_and_section_reference_forms(text: str, parts: dict[str, str]) -> None:
    assert [r.parts for r in references(text)] == [parts]


@pytest.mark.parametrize(
    "text", ["một phần kinh phí", "phần lớn giáo viên", "mục tiêu giáo dục", "danh mục thiết bị"]
)
def test_ordinary_words_are_not_part_or_section_citations(text: str) -> None:
    assert references(text) == []


CONG_VAN = """Kính gửi Ban soạn thảo,

UBND HUYỆN NÚI THÀNH
PHÒNG GIÁO DỤC VÀ ĐÀO TẠO
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 125/PGDĐT-THCS
V/v góp ý dự thảo Thông tư quy định
về dạy thêm, học thêm
Núi Thành, ngày 12 tháng 3 năm 2026

Kính gửi: Vụ Giáo dục Trung học - Bộ Giáo dục và Đào tạo.

Thực hiện Công văn số 456/BGDĐT-GDTrH ngày 02 tháng 3 năm 2026 của Bộ Giáo dục và Đào tạo \
về việc góp ý dự thảo Thông tư quy định về dạy thêm, học thêm, Phòng Giáo dục và Đào tạo \
huyện Núi Thành góp ý như sau:

1. Góp ý chung
Dự thảo cơ bản phù hợp với thực tiễn của địa phương.

2. Góp ý cụ thể
- Khoản 2 Điều 6: đề nghị tăng lên 50 học sinh/lớp đối với vùng đông dân cư.
- Điều 9 Thông tư: bổ sung hình thức công khai trên bảng tin của nhà trường.

Trên đây là ý kiến góp ý của Phòng Giáo dục và Đào tạo huyện Núi Thành./.

Nơi nhận:
- Như trên;
- UBND huyện (để b/c);
- Lưu: VT, THCS.
KT. TRƯỞNG PHÒNG
PHÓ TRƯỞNG PHÒNG
(đã ký)
Nguyễn Văn Bình
"""

CONG_VAN_IN_COLUMNS = """SỞ GD&ĐT QUẢNG NAM\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TRƯỜNG THPT TRẦN PHÚ\tĐộc lập - Tự do - Hạnh phúc
Số: 37/THPTTP-CM\tTam Kỳ, ngày 10 tháng 3 năm 2026
V/v góp ý dự thảo Thông tư

Kính gửi:
- Sở Giáo dục và Đào tạo Quảng Nam;
- Vụ Giáo dục Trung học.

Sau khi nghiên cứu dự thảo, Trường THPT Trần Phú có ý kiến như sau:

Về Điều 5:
Đối tượng học thêm nên gồm cả học sinh lớp 10 mới tuyển.

Cần có hướng dẫn về kinh phí chi trả cho giáo viên.

Nơi nhận:\t\tTM. BAN GIÁM HIỆU
- Như trên;\t\tHIỆU TRƯỞNG
- Lưu: VT.
\t\t(Đã ký và đóng dấu)
\t\tLê Thị Mai
"""

LEFT_OUT = (
    "UBND",
    "CỘNG HÒA",
    "Độc lập",
    "Số:",
    "V/v",
    "ngày 12 tháng 3",
    "ngày 10 tháng 3",
    "Kính gửi",
    "Nơi nhận",
    "Như trên",
    "Lưu: VT",
    "TRƯỞNG PHÒNG",
    "KT.",
    "TM.",
    "HIỆU TRƯỞNG",
    "đã ký",
    "Đã ký",
    "Nguyễn Văn Bình",
    "Lê Thị Mai",
    "Sở Giáo dục và Đào tạo Quảng Nam;",
    "Thực hiện Công văn",
    "Trên đây",
)


def test_a_pasted_cong_van_gives_its_comments_and_none_of_its_formalities(
    day_them: Draft,
) -> None:
    comments = extract_comments(CONG_VAN, day_them)
    assert anchors(comments) == [
        (None, "general"),
        ("dieu-6-khoan-2", "named"),
        ("dieu-9", "named"),
    ]
    assert "Dự thảo cơ bản phù hợp" in comments[0].text
    for comment in comments:
        for formality in LEFT_OUT:
            assert formality not in comment.text, (formality, comment.text)


def test_a_cong_van_laid_out_in_columns(day_them: Draft) -> None:
    comments = extract_comments(CONG_VAN_IN_COLUMNS, day_them)
    assert anchors(comments) == [("dieu-5", "named")]
    assert "lớp 10 mới tuyển" in comments[0].text
    assert "kinh phí chi trả" in comments[0].text
    for formality in LEFT_OUT:
        assert formality not in comments[0].text, formality


def test_the_letter_parts_are_kept_as_their_own_segments() -> None:
    parts = split_reply(CONG_VAN)
    letter = "\n".join(s.text for s in parts.segments if s.kind == "letter")
    for formality in ("Số: 125/PGDĐT-THCS", "Nơi nhận:", "- Lưu: VT, THCS.", "Nguyễn Văn Bình"):
        assert formality in letter
    assert "Dự thảo cơ bản phù hợp" in parts.new_text
    assert "Số: 125" not in parts.new_text


def test_a_comment_mentioning_a_so_or_a_date_is_still_a_comment(day_them: Draft) -> None:
    text = (
        "Điều 11: đề nghị hiệu lực từ ngày 01 tháng 9 năm 2026.\n\n"
        "Số học sinh mỗi lớp nên giảm.\n\nTrưởng phòng cần được báo cáo.\n"
    )
    comments = extract_comments(text, day_them)
    assert [c.text.splitlines()[0] for c in comments][:1] == [
        "Điều 11: đề nghị hiệu lực từ ngày 01 tháng 9 năm 2026."
    ]
    assert "Số học sinh mỗi lớp nên giảm." in "\n".join(c.text for c in comments)
    assert "Trưởng phòng cần được báo cáo." in "\n".join(c.text for c in comments)
