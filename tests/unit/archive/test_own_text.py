"""own_text / blocks: a body cut into labelled blocks, and the author's own words among them."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.own_text import Block, Kind, blocks, own_text
from archive.parse import parse_message

MM3_FOOTER = (
    "_______________________________________________\n"
    "USRP-users mailing list -- usrp-users@lists.ettus.com\n"
    "To unsubscribe send an email to usrp-users-leave@lists.ettus.com"
)


def _kinds(text: str) -> list[Kind]:
    return [block.kind for block in blocks(text)]


def test_empty_input_has_no_blocks() -> None:
    assert blocks("") == []
    assert own_text("") == ""


def test_plain_text_is_one_text_block() -> None:
    assert blocks("Hello,\n\nthe build works now.") == [
        Block(Kind.TEXT, "Hello,\n\nthe build works now.")
    ]


def test_a_quoted_run_between_replies_is_its_own_block() -> None:
    assert blocks("Hi,\n\n> quoted\n> more\n\nreply") == [
        Block(Kind.TEXT, "Hi,\n"),
        Block(Kind.QUOTE, "> quoted\n> more\n"),
        Block(Kind.TEXT, "reply"),
    ]
    assert own_text("Hi,\n\n> quoted\n> more\n\nreply") == "Hi,\n\nreply"


def test_nested_quote_levels_stay_in_one_quote_block() -> None:
    assert blocks("> a\n>> b\n> > c\n>\n> d\nreply") == [
        Block(Kind.QUOTE, "> a\n>> b\n> > c\n>\n> d"),
        Block(Kind.TEXT, "reply"),
    ]


def test_interleaved_replies_alternate_text_and_quote_blocks() -> None:
    body = "> question one\nanswer one\n> question two\nanswer two"
    assert _kinds(body) == [Kind.QUOTE, Kind.TEXT, Kind.QUOTE, Kind.TEXT]


def test_the_signature_starts_at_the_dash_dash_space_line() -> None:
    assert blocks("Thanks for the fix.\n-- \nAn Nguyen\nHanoi") == [
        Block(Kind.TEXT, "Thanks for the fix."),
        Block(Kind.SIGNATURE, "-- \nAn Nguyen\nHanoi"),
    ]


def test_a_dash_dash_line_whose_trailing_space_was_stripped_still_starts_a_signature() -> None:
    assert blocks("body\n--\nsig") == [Block(Kind.TEXT, "body"), Block(Kind.SIGNATURE, "--\nsig")]


def test_a_signature_inside_a_quote_stays_quoted() -> None:
    assert blocks("> quoted\n> -- \n> quoted sig\nreply") == [
        Block(Kind.QUOTE, "> quoted\n> -- \n> quoted sig"),
        Block(Kind.TEXT, "reply"),
    ]


def test_a_body_that_is_only_a_signature_is_one_signature_block() -> None:
    assert blocks("-- \nsent from my phone") == [Block(Kind.SIGNATURE, "-- \nsent from my phone")]


def test_longer_dash_lines_are_not_signature_delimiters() -> None:
    patch = "Fix the build.\n---\n drivers/usb/serial/cp210x.c | 2 ++\n"
    assert _kinds(patch) == [Kind.TEXT]


def test_a_patch_pasted_under_the_signature_is_the_authors_text() -> None:
    body = "Fix below.\n-- \nRalf\n\ndiff -urN a/arch/mips/Makefile b/arch/mips/Makefile\n+x"
    assert _kinds(body) == [Kind.TEXT, Kind.SIGNATURE, Kind.TEXT]
    assert own_text(body).endswith("+x")


def test_a_thanks_alone_is_the_authors_text() -> None:
    assert own_text("Thanks!") == "Thanks!"


def test_a_greeting_between_quotes_is_not_a_name_block() -> None:
    body = "Hi Marcus,\n\n> question\n\nAnswer here.\n\nThanks,\nLukas Haase"
    assert own_text(body) == "Hi Marcus,\n\nAnswer here."


def test_a_gmail_attribution_line_is_its_own_block() -> None:
    body = "Works for me.\n\nOn Mon, 1 Jun 2020 at 10:00, Bob <bob@example.org> wrote:\n> patch"
    assert blocks(body) == [
        Block(Kind.TEXT, "Works for me.\n"),
        Block(Kind.ATTRIBUTION, "On Mon, 1 Jun 2020 at 10:00, Bob <bob@example.org> wrote:"),
        Block(Kind.QUOTE, "> patch"),
    ]
    assert own_text(body) == "Works for me."


def test_a_vietnamese_gmail_attribution_line_is_its_own_block() -> None:
    attribution = "Vào Th 2, 1 thg 6, 2020 vào lúc 10:00 Đình Tuấn Hoàng <a@example.vn> đã viết:"
    assert blocks(f"Cảm ơn bạn.\n\n{attribution}\n> trích dẫn") == [
        Block(Kind.TEXT, "Cảm ơn bạn.\n"),
        Block(Kind.ATTRIBUTION, attribution),
        Block(Kind.QUOTE, "> trích dẫn"),
    ]


def test_a_wrapped_vietnamese_attribution_from_real_mail(mail_corpus: Path) -> None:
    raw = (mail_corpus / "vietnamese" / "usrp-users-003760.eml").read_bytes()
    found = blocks(parse_message(raw).text)
    attributed = next(i for i, b in enumerate(found) if "đã viết:" in b.text)
    assert found[attributed].kind is Kind.ATTRIBUTION
    assert found[attributed].text.endswith(
        "Vào Th 3, 29 thg 12, 2020 vào lúc 09:11 Jonathon Pendlum <\n"
        "jonathon.pendlum@ettus.com> đã viết:\n"
    )
    assert found[attributed + 1].kind is Kind.QUOTE


def test_an_attribution_at_the_top_over_unquoted_text_is_the_authors_answer() -> None:
    # the author cut the quote and answered under the attribution line (old list habit)
    body = "On Sat, Oct 03, 1998 at 09:57:47PM +0200, Jakub wrote:\n\nI have more patches.\n"
    assert own_text(body) == "I have more patches."


@pytest.mark.parametrize(
    "separator",
    [
        "-----Original Message-----",
        "----- Original Message -----",
        "---- Thư gốc ----",
        "-------- Tin nhắn gốc --------",
    ],
)
def test_an_outlook_original_message_is_quoted_to_the_end(separator: str) -> None:
    header = f"{separator}\nFrom: Bob\nSent: Monday\nSubject: q\n"
    body = f"Top posted answer.\n\n{header}\nThe question?"
    assert blocks(body) == [
        Block(Kind.TEXT, "Top posted answer.\n"),
        Block(Kind.ATTRIBUTION, f"{separator}\nFrom: Bob\nSent: Monday\nSubject: q\n"),
        Block(Kind.ORIGINAL, "The question?"),
    ]


def test_a_header_block_over_an_interleaved_answer_leaves_the_answers_own() -> None:
    # Outlook Express: the separator and header, then the answer between ">" lines
    body = (
        "----- Original Message -----\nFrom: Hiroshi\nTo: Brad\nSent: Friday\nSubject: XFree\n\n"
        "> Brad, are your patches public?\n\nNo, they are still in flux.\n"
    )
    assert _kinds(body) == [Kind.ATTRIBUTION, Kind.QUOTE, Kind.TEXT]
    assert own_text(body) == "No, they are still in flux."


def test_a_signature_above_an_outlook_original_is_folded_apart_from_it() -> None:
    body = "Agreed.\n-- \nAlice\n-----Original Message-----\nFrom: Bob\n\nPlease merge."
    assert _kinds(body) == [Kind.TEXT, Kind.SIGNATURE, Kind.ATTRIBUTION, Kind.ORIGINAL]


def test_a_signature_then_a_quote_sparrow_keeps_the_quote_apart() -> None:
    body = (
        "Yes, it works.\n\n-- \nAn Nguyen\nSent with Sparrow (http://www.sparrowmailapp.com)\n\n"
        "On Tuesday, 2 March 2021 at 10:00, Bob wrote:\n\n> Does it work?\n"
    )
    assert _kinds(body) == [Kind.TEXT, Kind.SIGNATURE, Kind.ATTRIBUTION, Kind.QUOTE]


def test_mailman_footers_are_labelled_and_left_out() -> None:
    assert blocks(f"Thanks, merged.\n\n{MM3_FOOTER}\n") == [
        Block(Kind.TEXT, "Thanks, merged.\n"),
        Block(Kind.FOOTER, f"{MM3_FOOTER}\n"),
    ]
    mm2 = (
        "_______________________________________________\nUSRP-users mailing list\n"
        "USRP-users@lists.ettus.com\n"
        "http://lists.ettus.com/mailman/listinfo/usrp-users_lists.ettus.com"
    )
    assert own_text(f"It builds now.\n\n{mm2}") == "It builds now."


@pytest.mark.parametrize(
    "footer",
    [
        "-- \nYou received this message because you are subscribed to the Google Groups "
        '"thpt" group.\nTo unsubscribe from this group and stop receiving emails from it, '
        "send an email to thpt+unsubscribe@googlegroups.com.",
        "-=-=-=-=-=-=-=-=-=-=-=-\nGroups.io Links: You receive all messages sent to this group.\n"
        "\nView/Reply Online (#5): https://groups.io/g/thpt/message/5\n"
        "Unsubscribe: https://groups.io/g/thpt/leave/1/2/3\n-=-=-=-=-=-=-=-=-=-=-=-",
        "----\nTo unsubscribe, send a mail to sympa@lists.example.edu.vn with the subject "
        "signoff thpt",
        "Bạn là đầu mối của đơn vị: vui lòng xác nhận đã nhận thông báo này: "
        "https://forum.example/notices/ack/abc (hoặc trả lời “đã nhận”).",
    ],
)
def test_other_list_footers_are_left_out(footer: str) -> None:
    assert own_text(f"Đồng ý với đề xuất.\n\n{footer}\n") == "Đồng ý với đề xuất."
    assert blocks(f"Đồng ý với đề xuất.\n\n{footer}\n")[-1].kind is Kind.FOOTER


def test_a_footer_quoted_in_a_reply_stays_in_the_quote() -> None:
    quoted = "\n".join(f"> {line}" for line in MM3_FOOTER.split("\n"))
    body = f"On Mon, 1 Jun 2020 at 10:00, Bob wrote:\n> question\n{quoted}\n\nMy answer."
    assert own_text(body) == "My answer."
    assert Kind.FOOTER not in _kinds(body)


def test_a_link_to_a_list_in_prose_is_not_a_footer() -> None:
    body = "Ask on the GNU Radio list\n(https://lists.gnu.org/mailman/listinfo/discuss) please."
    assert own_text(f"Short answer.\n\n{body}") == f"Short answer.\n\n{body}"


def test_disclaimers_are_labelled_apart_from_the_signature() -> None:
    body = (
        "Nhất trí với dự thảo.\n\nTrân trọng,\nNguyễn Văn An\n\n"
        "Email này có thể chứa thông tin bảo mật và chỉ dành cho người nhận mong muốn. "
        "Nếu bạn không phải là người nhận, vui lòng xóa thư này.\n\n"
        "This email and any attachments are confidential and intended solely for the "
        "addressee."
    )
    assert _kinds(body) == [Kind.TEXT, Kind.SIGNATURE, Kind.DISCLAIMER]
    assert own_text(body) == "Nhất trí với dự thảo."
    assert "bảo mật" in blocks(body)[-1].text


def test_a_word_like_privileged_in_prose_is_not_a_disclaimer() -> None:
    body = "The kernel runs in privileged mode here.\nThis message is long enough."
    assert own_text(body) == body


@pytest.mark.parametrize(
    "closing", ["Trân trọng,", "Trân trọng cảm ơn!", "Trân trọng kính chào!", "Best regards,"]
)
def test_a_closing_and_a_short_name_block_are_the_signature(closing: str) -> None:
    body = f"Đề nghị bổ sung Điều 5.\n\n{closing}\nPhạm Thị Dung\nTrường THCS Chu Văn An"
    assert own_text(body) == "Đề nghị bổ sung Điều 5."
    assert blocks(body)[-1] == Block(
        Kind.SIGNATURE, f"{closing}\nPhạm Thị Dung\nTrường THCS Chu Văn An"
    )


@pytest.mark.parametrize(
    "device", ["Sent from my iPhone", "Được gửi từ iPhone của tôi", "Gửi từ điện thoại Samsung"]
)
def test_a_mobile_line_is_the_signature(device: str) -> None:
    assert own_text(f"Ok, em nhận được rồi.\n\n{device}") == "Ok, em nhận được rồi."


@pytest.mark.parametrize(
    "body",
    [
        "one line",
        "\n",
        "trailing blank lines\n\n",
        "Hi,\n\n> quoted\n\n> again\nreply\n-- \nsig\n",
        "> only a quote",
        "top\n-----Original Message-----\n> inside\n-- \nsig",
        f"Answer\n\nOn Mon, 1 Jun 2020, Bob wrote:\n> q\n\n{MM3_FOOTER}\n",
    ],
)
def test_joining_the_blocks_gives_back_the_body_and_neighbours_differ_in_kind(body: str) -> None:
    found = blocks(body)
    assert "\n".join(block.text for block in found) == body
    assert all(a.kind is not b.kind for a, b in zip(found, found[1:], strict=False))


def test_crlf_reads_as_lf() -> None:
    assert "\n".join(b.text for b in blocks("a\r\n> b\r\n-- \r\nc\r\n")) == "a\n> b\n-- \nc\n"


def test_a_huge_body_is_cut_into_blocks_without_losing_any_of_it() -> None:
    body = "> quote\n" + "log line\n" * 60_000
    assert "\n".join(block.text for block in blocks(body)) == body
