"""Comments members send by replying to a draft: what is new, and which provision it is about."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from archive.sanitize import html_to_text
from forum.drafting.provisions import Comment, extract_comments, references
from forum.drafting.replies import split_reply
from forum.drafting.structure import Draft, parse_draft

DRAFT_TEXT = (Path(__file__).parent / "drafts" / "thong_tu_day_them.txt").read_text("utf-8")


@pytest.fixture(scope="module")
def draft() -> Draft:
    return parse_draft(DRAFT_TEXT)


def quoted(text: str, prefix: str = "> ") -> str:
    return "\n".join(f"{prefix}{line}".rstrip() for line in text.splitlines())


def anchors(comments: list[Comment]) -> list[tuple[str | None, str]]:
    return [(comment.anchor, comment.how) for comment in comments]


# --- the replies, as members' mail clients write them

GMAIL_VI_TOP_POSTED = f"""Kính gửi Ban soạn thảo,

Trường THPT Trần Phú góp ý như sau:
- Điều 4: đề nghị bổ sung trường hợp học sinh khuyết tật.
- khoản 2 Điều 6: đề nghị tăng lên 50 học sinh/lớp.
- điểm đ khoản 2 Điều 9: đề nghị công khai cả mức thu tối thiểu.

Trân trọng,
Nguyễn Thị Lan
Phó Hiệu trưởng Trường THPT Trần Phú
ĐT: 0905 123 456

Vào Th 2, 2 thg 6, 2025 vào lúc 09:00 Ban soạn thảo <
duthao@moet.example> đã viết:

{quoted(DRAFT_TEXT)}
"""

GMAIL_EN_TOP_POSTED = f"""Nhìn chung dự thảo phù hợp với thực tiễn, đề nghị sớm ban hành.

Best regards,
Tran Van Binh

On Mon, Jun 2, 2025 at 9:00 AM Ban soan thao <duthao@moet.example> wrote:

{quoted(DRAFT_TEXT)}
"""

OUTLOOK_EN_TOP_POSTED = f"""Phòng GD&ĐT góp ý Điều 10: cần quy định rõ trách nhiệm kiểm tra của
Ủy ban nhân dân cấp xã.

Regards,
Le Van Cuong
________________________________
From: Ban soạn thảo <duthao@moet.example>
Sent: Monday, June 2, 2025 9:00 AM
To: phong@moet.example
Subject: [PHONG] Dự thảo Thông tư quy định về dạy thêm, học thêm

{DRAFT_TEXT}
"""

OUTLOOK_ORIGINAL_MESSAGE = f"""Đồng ý với dự thảo, không có ý kiến khác.

-----Original Message-----
From: Ban soạn thảo [mailto:duthao@moet.example]
Sent: Monday, June 02, 2025 9:00 AM
To: thcs@moet.example
Subject: Dự thảo Thông tư

{DRAFT_TEXT}
"""

OUTLOOK_VI_HEADER = f"""Góp ý Điều 3: khoản 2 cần nói rõ "kế hoạch giáo dục" của nhà trường hay
của tổ chuyên môn.

Trân trọng cảm ơn!
Phạm Thị Dung

________________________________
Từ: Ban soạn thảo <duthao@moet.example>
Đã gửi: Thứ Hai, ngày 2 tháng 6 năm 2025 9:00 SA
Đến: tieuhoc@moet.example
Chủ đề: Dự thảo Thông tư quy định về dạy thêm, học thêm

{DRAFT_TEXT}
"""

THUNDERBIRD_INTERLEAVED = """Ban soạn thảo wrote:
> Điều 3. Nguyên tắc dạy thêm, học thêm
> 1. Hoạt động dạy thêm, học thêm phải góp phần củng cố, nâng cao kiến
> thức, kỹ năng, giáo dục nhân cách của học sinh; phù hợp với đặc điểm
> tâm sinh lý lứa tuổi.

Đề nghị bổ sung "không gây quá tải cho học sinh".

> 3. Người học thêm tự nguyện học thêm; không được bắt buộc học sinh
> học thêm dưới bất kỳ hình thức nào.

Nhất trí.
Cần có chế tài khi vi phạm.

> Điều 6. Yêu cầu đối với dạy thêm trong nhà trường
> 1. Mỗi môn học không quá 02 tiết/tuần.
> 2. Lớp học thêm được xếp theo từng môn học; số học sinh mỗi lớp không
> quá 45 học sinh.
> 3. Nhà trường phân công giáo viên dạy thêm, bảo đảm công bằng giữa các
> giáo viên.

Điều này khó thực hiện ở trường vùng cao.

--
Hoàng Văn Em
Tổ trưởng Tổ Toán
"""

THUNDERBIRD_VI_BOTTOM_POSTED = f"""Vào lúc 09:00, 02/06/2025, Ban soạn thảo đã viết:
{quoted(DRAFT_TEXT)}

Tôi thống nhất với toàn bộ dự thảo.

Đỗ Thị Giang
"""

INTERLEAVED_ONE_CLAUSE_UNDER_ITS_ARTICLE = """On 02/06/2025 09:00, Ban soạn thảo wrote:
> Điều 5. Đối tượng và hình thức dạy thêm trong nhà trường
> [...]
> 2. Nhà trường tổ chức dạy thêm theo từng môn học, không thu tiền của học sinh.

Không thu tiền thì lấy kinh phí đâu chi trả cho giáo viên?
"""

INTERLEAVED_WHOLE_ARTICLE = f"""Ban soạn thảo wrote:
{quoted(DRAFT_TEXT[DRAFT_TEXT.index("Điều 5.") : DRAFT_TEXT.index("Điều 6.")].strip())}

Đối tượng như vậy là quá hẹp.
"""

INTERLEAVED_RELATIVE_CLAUSE = """Vào Th 3, 3 thg 6, 2025 lúc 08:12 Ban soạn thảo <
duthao@moet.example> đã viết:
> Điều 3. Nguyên tắc dạy thêm, học thêm

Khoản 2 nên bỏ cụm từ "không dạy trước".
Điểm này tôi đồng ý.
"""

NO_DIACRITICS = """Gop y dieu 7: nen bo sung trach nhiem bao cao.
khoan 2 dieu 6: de nghi 40 hoc sinh/lop.
Dieu 5.2 chua ro nguon kinh phi.

Tran trong,
Vu Minh Hai
"""

SHORTHANDS = """Ý kiến của Trường THCS Nguyễn Du:
1. k2 Đ5: cần hướng dẫn cách chi trả.
2. Đ11: đề nghị hiệu lực từ năm học 2025-2026.
3. Điều 9.2.c ghi rõ "địa điểm" gồm cả điểm học trực tuyến.
"""

LEAD_WITH_POINTS = """Góp ý Điều 5:
- điểm a: nên thay "chưa đạt" bằng "cần hỗ trợ".
- điểm đ: bổ sung học sinh có năng khiếu.
- Nên đổi tên điều cho gọn.

Ngoài ra, đề nghị gửi dự thảo cho cả phụ huynh góp ý.
"""

LEAD_ALONE_IN_ITS_PARAGRAPH = """Kính gửi quý Ban,

Về Điều 8:

Giáo viên dạy thêm nên được báo cáo hiệu trưởng trước khi dạy.

Dự thảo viết rất rõ ràng. Cảm ơn Ban soạn thảo đã lấy ý kiến.
"""

EXTERNAL_LAW = """Theo Điều 5 Luật Giáo dục thì học sinh có quyền được học thêm, đề nghị
rà soát lại cho phù hợp.
Điều 20 trong dự thảo chưa có nên không góp ý.
"""

SIGNATURE_AND_DISCLAIMERS = """Khoản 3 Điều 4 cần quy định rõ "cơ sở giáo dục công lập" gồm cả
trường mầm non.

--
Trịnh Quốc Khánh | Chuyên viên Phòng GD&ĐT huyện Núi Thành
Email: khanh.tq@pgd.example | Mobile: +84 912 345 678

CONFIDENTIALITY NOTICE: This e-mail and any attachments are intended solely for the
addressee and may contain privileged information.

Thông tin trong thư này là thông tin bảo mật và chỉ dành cho người nhận mong muốn. Nếu bạn
không phải là người nhận, vui lòng xóa thư này.
"""

DISCLAIMER_WITHOUT_SIGNATURE = """Nhất trí với Chương II.

Email này và các tệp đính kèm có thể chứa thông tin
bảo mật và chỉ dành cho người nhận mong muốn (intended recipient).
"""

MOBILE = """Đồng ý với điểm b khoản 1 Điều 5.

Gửi từ iPhone của tôi

> Vào 2 thg 6, 2025, lúc 09:00, Ban soạn thảo <duthao@moet.example> đã viết:
>
> Điều 5. Đối tượng và hình thức dạy thêm trong nhà trường
"""

CARD_WITHOUT_MARKER = """Đề nghị bỏ Điều 12 vì trùng với quy định chung.
Nguyễn Văn An
Tổ trưởng Tổ Ngữ văn - Trường THPT Lê Quý Đôn
DĐ: 0912.345.678
"""

REPLY_TO_A_MEMBER = """Tôi đồng ý với anh Nam, và đề nghị thêm chế tài.

Vào Th 4, 4 thg 6, 2025 lúc 14:00 Trần Văn Nam <nam@thpt-ld.example> đã viết:
> Tôi đề nghị bỏ khoản 2 Điều 5 vì không khả thi.
>
> Vào Th 2, 2 thg 6, 2025 lúc 09:00 Ban soạn thảo <duthao@moet.example> đã viết:
>> Dự thảo gửi kèm.
"""

YAHOO = """Chương III nên tách riêng trách nhiệm của cá nhân.

On Monday, June 2, 2025, 09:00:00 AM GMT+7, Ban soạn thảo <duthao@moet.example> wrote:

Kính gửi các đơn vị,
Đề nghị góp ý dự thảo Thông tư trước ngày 15/6/2025.
"""

FORWARDED_WITH_NOTE = """Chuyển Ban soạn thảo: trường chúng tôi đề nghị sửa Phụ lục I.

---------- Forwarded message ---------
From: Ban soạn thảo <duthao@moet.example>
Date: Mon, Jun 2, 2025 at 9:00 AM
Subject: Dự thảo Thông tư
To: <thpt@moet.example>

Điều 5. Đối tượng ...
"""

REFLOWED_AND_EDITED_QUOTE = """Ban soạn thảo wrote:
> Tổ chức, cá nhân phải công khai trên cổng thông tin của UBND cấp xã các
> nội dung sau

Cổng thông tin cấp xã nhiều nơi chưa có.
"""

NARROWED_BY_A_LATER_POINT = """Điều 5: đề nghị bỏ điểm c vì trùng với ôn thi.
"""

GMAIL_HTML = """<div dir="ltr">Tôi có hai ý:<br><br></div><div class="gmail_quote">
<div dir="ltr" class="gmail_attr">Vào Th 2, 2 thg 6, 2025 vào lúc 09:00 Ban soạn thảo
&lt;<a href="mailto:duthao@moet.example">duthao@moet.example</a>&gt; đã viết:<br></div>
<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid">
<div>Điều 6. Yêu cầu đối với dạy thêm trong nhà trường</div>
<div>1. Mỗi môn học không quá 02 tiết/tuần.</div></blockquote>
<div>Nên cho phép 03 tiết/tuần với lớp cuối cấp.</div>
<blockquote class="gmail_quote"><div>b) Thời lượng dạy thêm đối với từng môn học;</div>
</blockquote><div>Cần quy định tổng thời lượng tối đa.</div>
<div><br>-- <br>Lý Thị Hoa<br>Trường THCS Chu Văn An</div></div>"""

OUTLOOK_HTML = """<html><body><div><p>Đơn vị thống nhất, góp ý thêm Điều 2: cần định nghĩa
"dạy thêm trực tuyến".</p><p>Trân trọng,</p><p>Mai Văn Phúc</p>
<div style="border:none;border-top:solid #E1E1E1 1.0pt"><p class="MsoNormal">
<b>From:</b> Ban soạn thảo &lt;duthao@moet.example&gt;<br><b>Sent:</b> Monday, June 2,
2025 9:00 AM<br><b>To:</b> ttgdtx@moet.example<br><b>Subject:</b> Dự thảo</p></div>
<p>Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng</p></div></body></html>"""


# --- comments and their provisions


def test_gmail_vietnamese_top_posted_list_of_named_provisions(draft: Draft) -> None:
    comments = extract_comments(GMAIL_VI_TOP_POSTED, draft)
    assert anchors(comments) == [
        ("dieu-4", "named"),
        ("dieu-6-khoan-2", "named"),
        ("dieu-9-khoan-2-diem-dd", "named"),
    ]
    assert comments[1].text == "- khoản 2 Điều 6: đề nghị tăng lên 50 học sinh/lớp."


def test_gmail_english_top_posted_general_comment(draft: Draft) -> None:
    comments = extract_comments(GMAIL_EN_TOP_POSTED, draft)
    assert comments == [
        Comment(None, "Nhìn chung dự thảo phù hợp với thực tiễn, đề nghị sớm ban hành.", "general")
    ]


def test_outlook_top_posted_original_is_not_commented(draft: Draft) -> None:
    comments = extract_comments(OUTLOOK_EN_TOP_POSTED, draft)
    assert comments == [
        Comment(
            "dieu-10",
            "Phòng GD&ĐT góp ý Điều 10: cần quy định rõ trách nhiệm kiểm tra của\n"
            "Ủy ban nhân dân cấp xã.",
            "named",
        )
    ]


def test_outlook_original_message_separator(draft: Draft) -> None:
    comments = extract_comments(OUTLOOK_ORIGINAL_MESSAGE, draft)
    assert anchors(comments) == [(None, "general")]
    assert comments[0].text == "Đồng ý với dự thảo, không có ý kiến khác."


def test_outlook_vietnamese_header_block(draft: Draft) -> None:
    comments = extract_comments(OUTLOOK_VI_HEADER, draft)
    assert anchors(comments) == [("dieu-3-khoan-2", "named")]  # narrowed by "khoản 2"
    assert "Phạm Thị Dung" not in comments[0].text


def test_thunderbird_interleaved_comments_follow_their_quotes(draft: Draft) -> None:
    comments = extract_comments(THUNDERBIRD_INTERLEAVED, draft)
    assert anchors(comments) == [
        ("dieu-3-khoan-1", "quoted"),
        ("dieu-3-khoan-3", "quoted"),
        ("dieu-6", "quoted"),
    ]
    assert comments[1].text == "Nhất trí.\nCần có chế tài khi vi phạm."
    assert comments[2].text == "Điều này khó thực hiện ở trường vùng cao."


def test_bottom_posted_under_the_whole_draft_is_general(draft: Draft) -> None:
    comments = extract_comments(THUNDERBIRD_VI_BOTTOM_POSTED, draft)
    assert comments == [Comment(None, "Tôi thống nhất với toàn bộ dự thảo.", "general")]


def test_article_heading_kept_for_context_does_not_widen_the_quote(draft: Draft) -> None:
    comments = extract_comments(INTERLEAVED_ONE_CLAUSE_UNDER_ITS_ARTICLE, draft)
    assert anchors(comments) == [("dieu-5-khoan-2", "quoted")]


def test_quoting_a_whole_article_ties_the_comment_to_the_article(draft: Draft) -> None:
    assert anchors(extract_comments(INTERLEAVED_WHOLE_ARTICLE, draft)) == [("dieu-5", "quoted")]


def test_clause_named_alone_is_read_in_the_quoted_article(draft: Draft) -> None:
    comments = extract_comments(INTERLEAVED_RELATIVE_CLAUSE, draft)
    assert anchors(comments) == [("dieu-3-khoan-2", "named")]
    assert comments[0].text.endswith("Điểm này tôi đồng ý.")


def test_references_typed_without_diacritics(draft: Draft) -> None:
    comments = extract_comments(NO_DIACRITICS, draft)
    assert anchors(comments) == [
        ("dieu-7", "named"),
        ("dieu-6-khoan-2", "named"),
        ("dieu-5-khoan-2", "named"),
    ]


def test_abbreviated_references(draft: Draft) -> None:
    comments = extract_comments(SHORTHANDS, draft)
    assert anchors(comments) == [
        ("dieu-5-khoan-2", "named"),
        ("dieu-11", "named"),
        ("dieu-9-khoan-2-diem-c", "named"),
    ]


def test_lead_line_names_the_article_for_the_items_under_it(draft: Draft) -> None:
    comments = extract_comments(LEAD_WITH_POINTS, draft)
    assert anchors(comments) == [
        ("dieu-5-khoan-1-diem-a", "named"),
        ("dieu-5-khoan-1-diem-dd", "named"),
        ("dieu-5", "named"),
        (None, "general"),
    ]
    assert comments[2].text == "- Nên đổi tên điều cho gọn."


def test_lead_alone_in_its_paragraph_names_the_next_one_only(draft: Draft) -> None:
    comments = extract_comments(LEAD_ALONE_IN_ITS_PARAGRAPH, draft)
    assert anchors(comments) == [("dieu-8", "named"), (None, "general")]
    assert comments[0].text == (
        "Về Điều 8:\nGiáo viên dạy thêm nên được báo cáo hiệu trưởng trước khi dạy."
    )


def test_articles_of_other_laws_and_missing_articles_are_not_provisions(draft: Draft) -> None:
    comments = extract_comments(EXTERNAL_LAW, draft)
    assert anchors(comments) == [(None, "general")]


def test_signatures_and_disclaimers_are_not_comments(draft: Draft) -> None:
    comments = extract_comments(SIGNATURE_AND_DISCLAIMERS, draft)
    assert comments == [
        Comment(
            "dieu-4-khoan-3",
            'Khoản 3 Điều 4 cần quy định rõ "cơ sở giáo dục công lập" gồm cả\ntrường mầm non.',
            "named",
        )
    ]


def test_disclaimer_paragraph_without_signature(draft: Draft) -> None:
    comments = extract_comments(DISCLAIMER_WITHOUT_SIGNATURE, draft)
    assert comments == [Comment("chuong-ii", "Nhất trí với Chương II.", "named")]


def test_device_footer_is_not_a_comment(draft: Draft) -> None:
    comments = extract_comments(MOBILE, draft)
    assert comments == [
        Comment("dieu-5-khoan-1-diem-b", "Đồng ý với điểm b khoản 1 Điều 5.", "named")
    ]


def test_name_title_and_phone_block_at_the_end_is_a_signature(draft: Draft) -> None:
    comments = extract_comments(CARD_WITHOUT_MARKER, draft)
    assert comments == [
        Comment("dieu-12", "Đề nghị bỏ Điều 12 vì trùng với quy định chung.", "named")
    ]


def test_top_posted_reply_to_a_member_is_general(draft: Draft) -> None:
    comments = extract_comments(REPLY_TO_A_MEMBER, draft)
    assert anchors(comments) == [(None, "general")]  # top-posted: nothing quoted above it


def test_interleaved_reply_to_a_member_takes_the_provision_they_named(draft: Draft) -> None:
    text = (
        "Trần Văn Nam wrote:\n> Tôi đề nghị bỏ khoản 2 Điều 5 vì không khả thi.\n\n"
        "Tôi đồng ý với anh Nam.\n"
    )
    assert anchors(extract_comments(text, draft)) == [("dieu-5-khoan-2", "quoted")]


def test_yahoo_unmarked_original_under_the_attribution(draft: Draft) -> None:
    comments = extract_comments(YAHOO, draft)
    assert comments == [
        Comment("chuong-iii", "Chương III nên tách riêng trách nhiệm của cá nhân.", "named")
    ]


def test_forwarded_message_with_a_note(draft: Draft) -> None:
    comments = extract_comments(FORWARDED_WITH_NOTE, draft)
    assert anchors(comments) == [("phu-luc-i", "named")]


def test_reflowed_and_edited_quote_is_matched_by_its_words(draft: Draft) -> None:
    comments = extract_comments(REFLOWED_AND_EDITED_QUOTE, draft)
    assert anchors(comments) == [("dieu-9-khoan-2", "quoted")]


def test_point_named_after_its_article_narrows_the_reference(draft: Draft) -> None:
    comments = extract_comments(NARROWED_BY_A_LATER_POINT, draft)
    assert anchors(comments) == [("dieu-5-khoan-1-diem-c", "named")]


def test_html_only_gmail_reply_converted_to_text(draft: Draft) -> None:
    comments = extract_comments(html_to_text(GMAIL_HTML), draft)
    assert anchors(comments) == [
        (None, "general"),
        ("dieu-6-khoan-1", "quoted"),
        ("dieu-9-khoan-2-diem-b", "quoted"),
    ]
    assert comments[2].text == "Cần quy định tổng thời lượng tối đa."


def test_html_only_outlook_reply_converted_to_text(draft: Draft) -> None:
    comments = extract_comments(html_to_text(OUTLOOK_HTML), draft)
    assert anchors(comments) == [("dieu-2", "named")]


def test_empty_reply_has_no_comments(draft: Draft) -> None:
    assert extract_comments("", draft) == []
    assert extract_comments("> Điều 5. Đối tượng\n\n-- \nAn\n", draft) == []


# --- the splitter on its own


def test_split_reply_segments_in_order() -> None:
    parts = split_reply(THUNDERBIRD_INTERLEAVED)
    kinds = [segment.kind for segment in parts.segments]
    assert kinds == ["attribution", "quote", "new", "quote", "new", "quote", "new", "signature"]
    assert parts.quoted[1].startswith("3. Người học thêm tự nguyện học thêm;")
    assert parts.segments[-1].text == "--\nHoàng Văn Em\nTổ trưởng Tổ Toán"


def test_split_reply_wrapped_gmail_attribution() -> None:
    parts = split_reply(GMAIL_VI_TOP_POSTED)
    attribution = next(s for s in parts.segments if s.kind == "attribution")
    assert attribution.text.endswith("duthao@moet.example> đã viết:")
    assert parts.new_text.startswith("Kính gửi Ban soạn thảo,")
    assert "Trân trọng" not in parts.new_text
    assert parts.quoted[0].startswith("BỘ GIÁO DỤC VÀ ĐÀO TẠO")


def test_split_reply_outlook_original_is_quote_without_marks() -> None:
    parts = split_reply(OUTLOOK_VI_HEADER)
    kinds = [segment.kind for segment in parts.segments]
    assert kinds == ["new", "signature", "attribution", "quote"]
    assert parts.segments[2].text.splitlines()[-1].startswith("Chủ đề:")
    assert parts.quoted[0].startswith("BỘ GIÁO DỤC VÀ ĐÀO TẠO")


def test_split_reply_nfd_and_crlf_come_out_nfc() -> None:
    text = unicodedata.normalize("NFD", "Góp ý Điều 5.\r\n\r\nTrân trọng,\r\nAn\r\n")
    parts = split_reply(text)
    assert parts.new_text == "Góp ý Điều 5."


def test_a_line_saying_wrote_inside_new_text_is_not_an_attribution() -> None:
    parts = split_reply("Như thầy Nam đã viết:\nđề nghị bỏ khoản 2.\n")
    assert [s.kind for s in parts.segments] == ["new"]


def test_thanks_at_the_start_of_a_long_comment_is_not_a_signature() -> None:
    lines = [
        "Cảm ơn Ban soạn thảo.",
        "",
        *[f"Ý kiến thứ {n} về dự thảo rất dài." for n in range(12)],
    ]
    parts = split_reply("\n".join(lines))
    assert parts.new_text.startswith("Cảm ơn Ban soạn thảo.")
    assert [s.kind for s in parts.segments] == ["new"]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("điểm a khoản 2 Điều 5", {"point": "a", "clause": "2", "article": "5"}),
        ("Điều 5 khoản 2 điểm a", {"point": "a", "clause": "2", "article": "5"}),
        ("điểm a, khoản 2, của Điều 5", {"point": "a", "clause": "2", "article": "5"}),
        ("Điều 5.2", {"clause": "2", "article": "5"}),
        ("Đ5", {"article": "5"}),
        ("K2Đ5", {"clause": "2", "article": "5"}),
        ("khoan 2 dieu 5", {"clause": "2", "article": "5"}),
        ("khoản 2, 3 và 4 Điều 5", {"clause": "2", "article": "5"}),
        ("điểm đ khoản 1 Điều 5", {"point": "đ", "clause": "1", "article": "5"}),
        ("Chương 2", {"chapter": "2"}),
        ("CHƯƠNG II", {"chapter": "2"}),
        ("phụ lục IV", {"appendix": "4"}),
        ("Điều 5 của Thông tư này", {"article": "5"}),
    ],
)
def test_reference_forms(text: str, parts: dict[str, str]) -> None:
    assert [r.parts for r in references(text)] == [parts]


@pytest.mark.parametrize(
    "text",
    [
        "theo Điều 5 Luật Giáo dục",
        "khoản 2 Điều 3 Nghị định số 24/2021/NĐ-CP",
        "thi khối D1",
        "lớp K12",
        "điều kiện dạy thêm",
        "khoản thu học thêm",
        "đạt điểm A",
    ],
)
def test_not_references(text: str) -> None:
    assert references(text) == []


def test_two_references_in_one_sentence() -> None:
    found = [r.parts for r in references("Điều 5 và khoản 3 Điều 6")]
    assert found == [{"article": "5"}, {"clause": "3", "article": "6"}]


def test_vietnamese_original_message_separator_then_a_blank_line() -> None:
    text = (
        "Nhất trí.\n\n-----Thư gốc-----\n\nTừ: Ban soạn thảo\nGửi: Thứ Hai\n"
        "Đến: thpt@moet.example\nChủ đề: Dự thảo\n\nĐiều 1. Phạm vi\n"
    )
    kinds = [(s.kind, s.text.splitlines()[0]) for s in split_reply(text).segments]
    assert kinds == [
        ("new", "Nhất trí."),
        ("attribution", "-----Thư gốc-----"),
        ("quote", "Điều 1. Phạm vi"),
    ]


def test_outlook_header_on_one_line() -> None:
    text = "Đồng ý.\nFrom: Ban soạn thảo Sent: Monday To: thpt Subject: Dự thảo\nĐiều 1. Phạm vi\n"
    assert split_reply(text).quoted == ("Điều 1. Phạm vi",)


@pytest.mark.parametrize(
    "text",
    [
        "Vào hôm qua, thầy Nam đã viết:\nđề nghị bỏ khoản 2.",  # no date: not a client's line
        "Gửi từ ngày 1/9 các trường báo cáo.\nĐề nghị lùi hạn.",  # not a device footer
    ],
)
def test_ordinary_lines_that_look_like_mail_furniture_are_new_text(text: str) -> None:
    parts = split_reply(text)
    assert [s.kind for s in parts.segments] == ["new"]
    assert parts.new_text == text


def test_vietnamese_closing_with_greeting_is_a_signature() -> None:
    parts = split_reply("Nhất trí với dự thảo.\nTrân trọng kính chào!\nBùi Văn Sơn\n")
    assert parts.new_text == "Nhất trí với dự thảo."


def test_later_article_does_not_narrow_the_first(draft: Draft) -> None:
    comments = extract_comments("Điều 5: bỏ khoản 2, làm như khoản 1 Điều 6.\n", draft)
    assert anchors(comments) == [("dieu-5-khoan-2", "named")]


def test_clause_that_does_not_exist_falls_back_to_its_article(draft: Draft) -> None:
    assert anchors(extract_comments("khoản 9 Điều 5 chưa rõ.", draft)) == [("dieu-5", "named")]


def test_quote_longer_than_any_passage_is_not_a_provision(draft: Draft) -> None:
    line = "> 2. Nhà trường tổ chức dạy thêm theo từng môn học, không thu tiền của học sinh."
    assert anchors(extract_comments(f"{line}\n\nĐồng ý.", draft)) == [("dieu-5-khoan-2", "quoted")]
    whole = "\n".join([line] * 301)
    assert anchors(extract_comments(f"{whole}\n\nĐồng ý.", draft)) == [(None, "general")]


def test_unnumbered_appendix_names_the_only_appendix() -> None:
    small = parse_draft("Điều 1. Phạm vi\nNội dung.\nPhụ lục I\nMẪU ĐƠN\n")
    assert anchors(extract_comments("Phụ lục: bỏ mục 3.", small)) == [("phu-luc-i", "named")]


def test_articles_side_by_side_are_two_references() -> None:
    assert [r.parts for r in references("Điều 5 Điều 6")] == [{"article": "5"}, {"article": "6"}]
