"""Parsing draft regulations into Phần / Chương / Mục / Điều / Khoản / Điểm with anchors."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import docx
import pytest

from forum.drafting.docx_input import NotADocx, docx_to_text
from forum.drafting.structure import Draft, Node, outline, parse_draft, walk

DRAFTS = Path(__file__).parent / "drafts"


def load(name: str) -> Draft:
    return parse_draft((DRAFTS / name).read_text(encoding="utf-8"))


def by_anchor(draft: Draft) -> dict[str, Node]:
    return {node.anchor: node for node in walk(draft)}


@pytest.fixture(scope="module")
def thong_tu() -> Draft:
    return load("thong_tu_day_them.txt")


@pytest.fixture(scope="module")
def quyet_dinh() -> Draft:
    return load("quyet_dinh_ke_hoach_nam_hoc.txt")


@pytest.fixture(scope="module")
def quy_che() -> Draft:
    return load("quy_che_markdown_nfd.md")


# --- a Thông tư: letterhead, preamble, chapters I–III, 12 articles, points to đ), appendices


def test_thong_tu_title_skips_the_letterhead(thong_tu: Draft) -> None:
    assert thong_tu.title == "Thông tư Quy định về dạy thêm, học thêm"


def test_thong_tu_preamble_is_kept_as_its_own_node(thong_tu: Draft) -> None:
    assert thong_tu.preamble.startswith("Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;")
    assert "Theo đề nghị của Vụ trưởng Vụ Giáo dục Trung học;" in thong_tu.preamble
    assert thong_tu.preamble.endswith("ban hành Thông tư quy định về dạy thêm, học thêm.")
    first = thong_tu.nodes[0]
    assert (first.kind, first.anchor, first.text) == ("preamble", "mo-dau", thong_tu.preamble)


def test_thong_tu_top_level_is_preamble_chapters_and_appendices(thong_tu: Draft) -> None:
    top = [(node.kind, node.number, node.anchor) for node in thong_tu.nodes]
    assert top == [
        ("preamble", "", "mo-dau"),
        ("chapter", "I", "chuong-i"),
        ("chapter", "II", "chuong-ii"),
        ("chapter", "III", "chuong-iii"),
        ("appendix", "I", "phu-luc-i"),
        ("appendix", "II", "phu-luc-ii"),
    ]
    assert [node.title for node in thong_tu.nodes[1:4]] == [
        "QUY ĐỊNH CHUNG",
        "DẠY THÊM, HỌC THÊM TRONG NHÀ TRƯỜNG",
        "DẠY THÊM, HỌC THÊM NGOÀI NHÀ TRƯỜNG",
    ]


def test_thong_tu_articles_are_numbered_in_order_under_their_chapters(thong_tu: Draft) -> None:
    chapters = {node.number: node for node in thong_tu.nodes if node.kind == "chapter"}
    assert [a.number for a in chapters["I"].children] == ["1", "2", "3", "4"]
    assert [a.number for a in chapters["II"].children] == ["5", "6", "7", "8"]
    assert [a.number for a in chapters["III"].children] == ["9", "10", "11", "12"]
    articles = [node for node in walk(thong_tu) if node.kind == "article"]
    assert [a.anchor for a in articles] == [f"dieu-{n}" for n in range(1, 13)]


def test_article_titles_with_dot_colon_and_dash_separators(thong_tu: Draft) -> None:
    nodes = by_anchor(thong_tu)
    assert nodes["dieu-1"].title == "Phạm vi điều chỉnh và đối tượng áp dụng"
    assert nodes["dieu-7"].title == "Trách nhiệm của hiệu trưởng"  # "Điều 7:"
    assert nodes["dieu-8"].title == "Trách nhiệm của giáo viên dạy thêm"  # "Điều 8 -"


def test_clauses_and_points_have_nested_anchors_and_their_own_text(thong_tu: Draft) -> None:
    nodes = by_anchor(thong_tu)
    clause = nodes["dieu-5-khoan-1"]
    assert clause.text == "Đối tượng học thêm trong nhà trường là học sinh có nguyện vọng, gồm:"
    assert [p.number for p in clause.children] == ["a", "b", "c", "d", "đ"]
    assert [p.anchor for p in clause.children][-2:] == [
        "dieu-5-khoan-1-diem-d",
        "dieu-5-khoan-1-diem-dd",
    ]
    assert nodes["dieu-5-khoan-1-diem-dd"].text == (
        "Học sinh khuyết tật học hòa nhập có nhu cầu hỗ trợ."
    )
    assert nodes["dieu-9-khoan-2-diem-dd"].text == "Mức thu tiền học thêm."
    assert nodes["dieu-4-khoan-2-diem-b"].text == "Rèn luyện kỹ năng sống."


def test_article_lead_in_stays_on_the_article(thong_tu: Draft) -> None:
    article = by_anchor(thong_tu)["dieu-2"]
    assert article.text == "Trong Thông tư này, các từ ngữ dưới đây được hiểu như sau:"
    assert [c.anchor for c in article.children] == [f"dieu-2-khoan-{n}" for n in (1, 2, 3)]


def test_article_without_clauses_keeps_its_body(thong_tu: Draft) -> None:
    article = by_anchor(thong_tu)["dieu-11"]
    assert article.children == ()
    assert article.text == "Thông tư này có hiệu lực thi hành kể từ ngày 01 tháng 7 năm 2025."


def test_mentions_of_articles_inside_sentences_start_no_node(thong_tu: Draft) -> None:
    nodes = by_anchor(thong_tu)
    # "Điều 10 của Thông tư này." begins a wrapped line of clause 3 of Điều 5.
    assert nodes["dieu-5-khoan-3"].text == (
        "Việc đăng ký dạy thêm thực hiện theo quy định tại khoản 2 Điều 9 và\n"
        "Điều 10 của Thông tư này."
    )
    assert nodes["dieu-7-khoan-2"].text.endswith("Xem thêm Điều 5 về đối tượng học thêm.")
    assert [n.number for n in walk(thong_tu) if n.kind == "article"].count("10") == 1


def test_signature_block_is_not_part_of_the_last_article(thong_tu: Draft) -> None:
    last = by_anchor(thong_tu)["dieu-12"]
    assert last.text.endswith("chịu trách nhiệm thi hành Thông tư này./.")
    assert "Nơi nhận" not in last.text
    assert "BỘ TRƯỞNG" not in last.text


def test_appendices_are_their_own_nodes_and_are_not_parsed_as_articles(thong_tu: Draft) -> None:
    first, second = thong_tu.nodes[-2:]
    assert first.title == "MẪU BẢN ĐĂNG KÝ DẠY THÊM"
    assert first.text.startswith("(Kèm theo Thông tư số /2025/TT-BGDĐT")
    assert "1. Tên tổ chức, cá nhân:" in first.text
    assert "Điều 5 không áp dụng cho mẫu này." in first.text
    assert first.children == ()
    assert (second.title, second.text) == (
        "MẪU BÁO CÁO TÌNH HÌNH DẠY THÊM",
        "Kính gửi: Ủy ban nhân dân cấp xã",
    )


def test_outline_lists_every_node_with_its_depth(thong_tu: Draft) -> None:
    entries = outline(thong_tu)
    assert len(entries) == len(list(walk(thong_tu)))
    by = {entry.anchor: entry for entry in entries}
    assert (by["chuong-ii"].depth, by["dieu-5"].depth) == (0, 1)
    assert (by["dieu-5-khoan-1"].depth, by["dieu-5-khoan-1-diem-dd"].depth) == (2, 3)
    assert by["dieu-5"].title == "Đối tượng và hình thức dạy thêm trong nhà trường"
    assert [e.anchor for e in entries[:4]] == ["mo-dau", "chuong-i", "dieu-1", "dieu-1-khoan-1"]


def test_anchors_are_unique(thong_tu: Draft, quyet_dinh: Draft, quy_che: Draft) -> None:
    for draft in (thong_tu, quyet_dinh, quy_che):
        anchors = [node.anchor for node in walk(draft)]
        assert len(anchors) == len(set(anchors))


# --- a Quyết định: numbered articles only, most of them one sentence without a title


def test_quyet_dinh_title_stops_before_the_issuer(quyet_dinh: Draft) -> None:
    assert quyet_dinh.title == (
        "Quyết định Về việc ban hành Kế hoạch thời gian năm học 2025-2026 "
        "đối với giáo dục mầm non, giáo dục phổ thông và giáo dục thường xuyên"
    )


def test_quyet_dinh_preamble_ends_with_the_decision_word(quyet_dinh: Draft) -> None:
    assert quyet_dinh.preamble.splitlines() == [
        "Căn cứ Quyết định số 2045/QĐ-BGDĐT ngày 06 tháng 8 năm 2025 của Bộ trưởng "
        "Bộ Giáo dục và Đào tạo;",
        "Xét đề nghị của Trưởng phòng Giáo dục Trung học,",
        "QUYẾT ĐỊNH:",
    ]


def test_quyet_dinh_has_articles_only(quyet_dinh: Draft) -> None:
    assert [(n.kind, n.anchor) for n in quyet_dinh.nodes] == [
        ("preamble", "mo-dau"),
        ("article", "dieu-1"),
        ("article", "dieu-2"),
        ("article", "dieu-3"),
        ("article", "dieu-4"),
    ]


def test_one_sentence_articles_are_text_not_titles(quyet_dinh: Draft) -> None:
    nodes = by_anchor(quyet_dinh)
    assert nodes["dieu-1"].title == ""
    assert nodes["dieu-1"].text.startswith("Ban hành kèm theo Quyết định này Kế hoạch")
    assert (nodes["dieu-3"].title, nodes["dieu-3"].text) == (
        "",
        "Quyết định này có hiệu lực kể từ ngày ký.",
    )
    assert nodes["dieu-4"].text.endswith("căn cứ Quyết định thi hành./.")


def test_lead_in_sentence_ending_in_a_colon_is_text(quyet_dinh: Draft) -> None:
    article = by_anchor(quyet_dinh)["dieu-2"]
    assert (article.title, article.text) == (
        "",
        "Kế hoạch thời gian năm học được thực hiện như sau:",
    )
    assert [c.text for c in article.children][
        1
    ] == "Tổ chức khai giảng vào ngày 05 tháng 9 năm 2025."


# --- Markdown from a converter: headings, bold numbers, escapes, tabs, NFD text


def test_markdown_fixture_really_is_nfd() -> None:
    raw = (DRAFTS / "quy_che_markdown_nfd.md").read_text(encoding="utf-8")
    assert raw != unicodedata.normalize("NFC", raw)


def test_markdown_text_comes_out_nfc(quy_che: Draft) -> None:
    for node in walk(quy_che):
        for value in (node.title, node.text, node.number):
            assert value == unicodedata.normalize("NFC", value)
    assert quy_che.title == "Quy chế tổ chức và hoạt động của trung tâm học tập cộng đồng"


def test_markdown_tree_has_parts_chapters_sections_and_subsections(quy_che: Draft) -> None:
    shape = [(e.depth, e.kind, e.number, e.anchor) for e in outline(quy_che) if e.depth < 4]
    assert shape[:6] == [
        (0, "preamble", "", "mo-dau"),
        (0, "part", "THỨ NHẤT", "phan-thu-nhat"),
        (1, "chapter", "1", "chuong-1"),
        (2, "article", "1", "dieu-1"),
        (2, "article", "2", "dieu-2"),
        (3, "clause", "1", "dieu-2-khoan-1"),
    ]
    anchors = [anchor for *_, anchor in shape]
    assert anchors[anchors.index("phan-thu-hai") :][:5] == [
        "phan-thu-hai",
        "chuong-2",
        "chuong-2-muc-1",
        "chuong-2-muc-1-tieu-muc-1",
        "chuong-2-muc-1-tieu-muc-2",
    ]


def test_markdown_titles_and_bold_numbers(quy_che: Draft) -> None:
    nodes = by_anchor(quy_che)
    assert nodes["phan-thu-nhat"].title == "NHỮNG QUY ĐỊNH CHUNG"
    assert nodes["chuong-1"].title == "Phạm vi và đối tượng"
    assert nodes["chuong-2"].title == "TỔ CHỨC TRUNG TÂM"
    assert nodes["chuong-2-muc-1"].title == "BAN GIÁM ĐỐC"
    assert nodes["chuong-2-muc-1-tieu-muc-2"].title == "Phó Giám đốc"
    assert nodes["dieu-1"].title == "Phạm vi điều chỉnh"  # **Điều 1.** Phạm vi điều chỉnh
    assert nodes["dieu-2"].title == "ĐỐI TƯỢNG ÁP DỤNG"  # **ĐIỀU 2 - ĐỐI TƯỢNG ÁP DỤNG**
    assert nodes["dieu-3"].title == "Nhiệm vụ của giám đốc"  # **Điều 3:**
    assert nodes["dieu-4"].title == "Nhiệm vụ của phó giám đốc"  # Điều 4 – ...
    assert nodes["dieu-6"].title == "Chương trình hoạt động"  # __Điều 6.__


def test_markdown_escapes_tabs_and_bold_clause_numbers(quy_che: Draft) -> None:
    nodes = by_anchor(quy_che)
    assert nodes["dieu-2-khoan-1"].text == (
        "Quy chế này áp dụng đối với trung tâm học tập cộng đồng tại xã, phường, thị trấn."
    )
    assert [p.text for p in nodes["dieu-3-khoan-1"].children] == [
        "Xây dựng kế hoạch hoạt động hằng năm;",
        "Quản lý giáo viên, cộng tác viên và người học;",
        "Báo cáo định kỳ theo quy định tại Điều 7 của Quy chế này.",
    ]


def test_markdown_line_mentioning_two_articles_stays_text(quy_che: Draft) -> None:
    point = by_anchor(quy_che)["dieu-5-khoan-2-diem-c"]
    mention = (
        "Điều 5 và Điều 6 được đọc cùng nhau; dòng này chỉ nhắc đến điều, không phải điều mới."
    )
    assert point.text.splitlines() == ["Tự học, tự bồi dưỡng.", mention]


def test_markdown_appendix_keeps_its_table(quy_che: Draft) -> None:
    appendix = quy_che.nodes[-1]
    assert (appendix.kind, appendix.anchor, appendix.title) == (
        "appendix",
        "phu-luc",
        "MẪU BÁO CÁO HOẠT ĐỘNG",
    )
    assert appendix.text.splitlines() == ["| STT | Nội dung | Kết quả |", "| 1 | Số lớp | |"]


# --- small texts for single behaviours


def test_upper_case_headings_and_lookalike_eth() -> None:
    draft = parse_draft("CHƯƠNG IV\nÐIỀU 15. HIỆU LỰC\nThông tư này có hiệu lực.\n")
    (chapter,) = draft.nodes
    (article,) = chapter.children
    assert (chapter.anchor, article.anchor, article.title) == ("chuong-iv", "dieu-15", "HIỆU LỰC")


def test_text_without_diacritics_and_with_crlf() -> None:
    draft = parse_draft("Dieu 1. Pham vi\r\n1. Noi dung mot.\r\n2. Noi dung hai.\r\n")
    assert [n.anchor for n in walk(draft)] == ["dieu-1", "dieu-1-khoan-1", "dieu-1-khoan-2"]


def test_restarted_article_numbers_get_distinct_anchors() -> None:
    text = (
        "Điều 1. Ban hành kèm theo Thông tư này Quy định về thi.\nĐiều 2. Hiệu lực\nNgay.\n"
        "QUY ĐỊNH\nĐiều 1. Phạm vi\n1. Quy định này quy định về thi.\n"
    )
    anchors = [node.anchor for node in walk(parse_draft(text))]
    assert anchors == ["dieu-1", "dieu-2", "dieu-1-2", "dieu-1-2-khoan-1"]


def test_clause_numbers_must_ascend_and_amounts_are_not_clauses() -> None:
    text = "Điều 3. Mức thu\n1. Mức thu tối đa:\n1.000.000 đồng/tháng;\n2. Miễn thu.\n1. lặp\n"
    (article,) = parse_draft(text).nodes
    assert [c.number for c in article.children] == ["1", "2"]
    assert article.children[0].text == "Mức thu tối đa:\n1.000.000 đồng/tháng;"
    assert article.children[1].text == "Miễn thu.\n1. lặp"


def test_points_directly_under_an_article() -> None:
    (article,) = parse_draft("Điều 4. Hồ sơ gồm:\na) Đơn;\nb) Bản sao;\nđ) Ảnh.\n").nodes
    assert article.title == ""
    assert [p.anchor for p in article.children] == [
        "dieu-4-diem-a",
        "dieu-4-diem-b",
        "dieu-4-diem-dd",
    ]


def test_heading_words_that_begin_ordinary_sentences_are_text() -> None:
    text = (
        "Điều 1. Phạm vi\nChương trình học được giữ nguyên.\nMục tiêu là nâng cao chất lượng.\n"
        "Phần lớn học sinh đồng ý.\nPhụ lục kèm theo gồm các mẫu.\nĐiều 5 của Luật Giáo dục.\n"
    )
    (article,) = parse_draft(text).nodes
    assert article.children == ()
    assert len(article.text.splitlines()) == 5


def test_empty_and_structureless_text() -> None:
    assert parse_draft("") == Draft("", "", ())
    draft = parse_draft("Góp ý chung về dự thảo\nKhông có điều khoản.")
    assert (draft.title, draft.nodes) == ("Góp ý chung về dự thảo", ())


# --- DOCX


def _docx(build: list[tuple[str, str]]) -> bytes:
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text = "BỘ GIÁO DỤC VÀ ĐÀO TẠO"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    for bold, plain in build:
        paragraph = document.add_paragraph()
        if bold:
            paragraph.add_run(bold).bold = True
        paragraph.add_run(plain)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_with_bold_article_numbers_parses_like_text() -> None:
    data = _docx(
        [
            ("", "THÔNG TƯ"),
            ("", "Quy định về thi tốt nghiệp"),
            ("", "Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;"),
            ("Chương I", ""),
            ("", "QUY ĐỊNH CHUNG"),
            ("Điều 1.", " Phạm vi điều chỉnh"),
            ("1.", " Thông tư này quy định về thi tốt nghiệp."),
            ("a)", " Tổ chức thi;"),
            ("đ)", " Công nhận tốt nghiệp."),
            ("Điều 2. ", "Đối tượng áp dụng"),
            ("", "Thông tư này áp dụng đối với học sinh."),
        ]
    )
    text = docx_to_text(data)
    assert "Điều 1. Phạm vi điều chỉnh" in text.splitlines()
    assert text.splitlines()[:3] == [
        "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    draft = parse_draft(text)
    assert draft.title == "Thông tư Quy định về thi tốt nghiệp"
    assert [(e.anchor, e.title) for e in outline(draft)] == [
        ("mo-dau", ""),
        ("chuong-i", "QUY ĐỊNH CHUNG"),
        ("dieu-1", "Phạm vi điều chỉnh"),
        ("dieu-1-khoan-1", ""),
        ("dieu-1-khoan-1-diem-a", ""),
        ("dieu-1-khoan-1-diem-dd", ""),
        ("dieu-2", "Đối tượng áp dụng"),
    ]


def test_docx_merged_cells_are_read_once() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "PHỤ LỤC I"
    table.cell(1, 0).text = "STT"
    table.cell(1, 1).text = "Nội dung"
    buffer = io.BytesIO()
    document.save(buffer)
    assert docx_to_text(buffer.getvalue()).split() == ["PHỤ", "LỤC", "I", "STT", "Nội", "dung"]


def test_bytes_that_are_not_a_docx_are_refused_with_a_reason() -> None:
    with pytest.raises(NotADocx, match="not a DOCX document"):
        docx_to_text(b"%PDF-1.4 not a word file")


def test_point_letters_must_ascend() -> None:
    (article,) = parse_draft("Điều 4. Hồ sơ\n1. Gồm:\na) Đơn;\nb) Bản sao;\na) lặp lại\n").nodes
    (clause,) = article.children
    assert [p.number for p in clause.children] == ["a", "b"]
    assert clause.children[1].text == "Bản sao;\na) lặp lại"


# --- Tables of contents


CONTENTS_TEXT = """THÔNG TƯ
Ban hành Quy chế thi
MỤC LỤC
Chương I. QUY ĐỊNH CHUNG\t1
Điều 1. Phạm vi điều chỉnh\t1
Điều 2. Đối tượng áp dụng ........ 2
Chương II. TỔ CHỨC THI …… 3
Điều 3. Hội đồng thi _____ 3
Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;
Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Quy chế này quy định về thi.
Điều 2. Đối tượng áp dụng
1. Giáo viên.
2. Học sinh.
Chương II
TỔ CHỨC THI
Điều 3. Hội đồng thi
Hội đồng thi do Giám đốc Sở thành lập.
Điều 4. Thi lại vào ngày 12
Thí sinh thi lại.
"""


def test_a_table_of_contents_is_not_parsed_as_provisions() -> None:
    draft = parse_draft(CONTENTS_TEXT)
    assert draft.title == "Thông tư Ban hành Quy chế thi"
    anchors = [node.anchor for node in walk(draft)]
    assert anchors == [
        "mo-dau",
        "chuong-i",
        "dieu-1",
        "dieu-2",
        "dieu-2-khoan-1",
        "dieu-2-khoan-2",
        "chuong-ii",
        "dieu-3",
        "dieu-4",  # a title ending in a number, without leaders, is not a contents entry
    ]
    article = next(node for node in walk(draft) if node.anchor == "dieu-3")
    assert article.title == "Hội đồng thi"
    assert article.text == "Hội đồng thi do Giám đốc Sở thành lập."


def test_a_word_table_of_contents_is_skipped_too() -> None:
    data = _docx([("", line) for line in CONTENTS_TEXT.splitlines()])
    anchors = [node.anchor for node in walk(parse_draft(docx_to_text(data)))]
    assert anchors.count("dieu-1") == 1
    assert "dieu-1-2" not in anchors
