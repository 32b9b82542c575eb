"""split_blocks: a plain-text body cut into text, quote and signature blocks for the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.display import Block, split_blocks
from archive.parse import parse_message


def _kinds(text: str) -> list[str]:
    return [block.kind for block in split_blocks(text)]


def test_empty_input_has_no_blocks() -> None:
    assert split_blocks("") == []


def test_plain_text_is_one_text_block() -> None:
    assert split_blocks("Hello,\n\nthe build works now.") == [
        Block("text", "Hello,\n\nthe build works now.")
    ]


def test_a_quoted_run_between_replies_is_its_own_block() -> None:
    assert split_blocks("Hi,\n\n> quoted\n> more\n\nreply") == [
        Block("text", "Hi,\n"),
        Block("quote", "> quoted\n> more"),
        Block("text", "\nreply"),
    ]


def test_nested_quote_levels_stay_in_one_quote_block() -> None:
    assert split_blocks("> a\n>> b\n> > c\n>\n> d\nreply") == [
        Block("quote", "> a\n>> b\n> > c\n>\n> d"),
        Block("text", "reply"),
    ]


def test_interleaved_replies_alternate_text_and_quote_blocks() -> None:
    body = "> question one\nanswer one\n> question two\nanswer two"
    assert _kinds(body) == ["quote", "text", "quote", "text"]


def test_the_signature_starts_at_the_dash_dash_space_line() -> None:
    assert split_blocks("Thanks,\nAn\n-- \nAn Nguyen\nHanoi") == [
        Block("text", "Thanks,\nAn"),
        Block("signature", "-- \nAn Nguyen\nHanoi"),
    ]


def test_a_dash_dash_line_whose_trailing_space_was_stripped_still_starts_a_signature() -> None:
    assert split_blocks("body\n--\nsig") == [Block("text", "body"), Block("signature", "--\nsig")]


def test_only_the_last_signature_delimiter_starts_the_signature() -> None:
    assert split_blocks("body\n-- \nfirst\n-- \nsecond") == [
        Block("text", "body\n-- \nfirst"),
        Block("signature", "-- \nsecond"),
    ]


def test_a_signature_inside_a_quote_stays_quoted() -> None:
    assert split_blocks("> quoted\n> -- \n> quoted sig\nreply") == [
        Block("quote", "> quoted\n> -- \n> quoted sig"),
        Block("text", "reply"),
    ]


def test_a_body_that_is_only_a_signature_is_one_signature_block() -> None:
    assert split_blocks("-- \nsent from my phone") == [
        Block("signature", "-- \nsent from my phone")
    ]


def test_longer_dash_lines_are_not_signature_delimiters() -> None:
    patch = "Fix the build.\n---\n drivers/usb/serial/cp210x.c | 2 ++\n"
    assert _kinds(patch) == ["text"]


def test_a_gmail_attribution_line_stays_with_the_text_before_the_quote() -> None:
    body = "Works for me.\n\nOn Mon, 1 Jun 2020 at 10:00, Bob <bob@example.org> wrote:\n> patch"
    assert split_blocks(body) == [
        Block("text", "Works for me.\n\nOn Mon, 1 Jun 2020 at 10:00, Bob <bob@example.org> wrote:"),
        Block("quote", "> patch"),
    ]


def test_a_vietnamese_gmail_attribution_line_stays_with_the_text_before_the_quote() -> None:
    attribution = "Vào Th 2, 1 thg 6, 2020 vào lúc 10:00 Đình Tuấn Hoàng <a@example.vn> đã viết:"
    assert split_blocks(f"Cảm ơn bạn.\n\n{attribution}\n> trích dẫn") == [
        Block("text", f"Cảm ơn bạn.\n\n{attribution}"),
        Block("quote", "> trích dẫn"),
    ]


def test_a_wrapped_vietnamese_attribution_from_real_mail_stays_in_the_text(
    mail_corpus: Path,
) -> None:
    raw = (mail_corpus / "vietnamese" / "usrp-users-003760.eml").read_bytes()
    blocks = split_blocks(parse_message(raw).text)
    attributed = next(i for i, b in enumerate(blocks) if "đã viết:" in b.text)
    assert blocks[attributed].kind == "text"
    assert blocks[attributed].text.endswith(
        "Vào Th 3, 29 thg 12, 2020 vào lúc 09:11 Jonathon Pendlum <\n"
        "jonathon.pendlum@ettus.com> đã viết:\n"
    )
    assert blocks[attributed + 1].kind == "quote"


@pytest.mark.parametrize(
    "separator", ["-----Original Message-----", "----- Original Message -----", "---- Thư gốc ----"]
)
def test_an_outlook_original_message_is_quoted_to_the_end(separator: str) -> None:
    body = f"Top posted answer.\n\n{separator}\nFrom: Bob\nSubject: question\n\nThe question?"
    assert split_blocks(body) == [
        Block("text", "Top posted answer.\n"),
        Block("quote", f"{separator}\nFrom: Bob\nSubject: question\n\nThe question?"),
    ]


def test_a_signature_inside_an_outlook_original_stays_in_the_quote() -> None:
    body = "Yes, merged.\n\n-----Original Message-----\nFrom: Bob\n\nPlease merge.\n-- \nBob"
    assert split_blocks(body) == [
        Block("text", "Yes, merged.\n"),
        Block("quote", "-----Original Message-----\nFrom: Bob\n\nPlease merge.\n-- \nBob"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "one line",
        "\n",
        "trailing blank lines\n\n",
        "Hi,\n\n> quoted\n\n> again\nreply\n-- \nsig\n",
        "> only a quote",
        "top\n-----Original Message-----\n> inside\n-- \nsig",
        "a\r\n> b\r\n-- \r\nc\r\n",
    ],
)
def test_joining_the_blocks_gives_back_the_body_and_neighbours_differ_in_kind(body: str) -> None:
    blocks = split_blocks(body)
    assert "\n".join(block.text for block in blocks) == body
    assert all(a.kind != b.kind for a, b in zip(blocks, blocks[1:], strict=False))


def test_a_signature_above_an_outlook_original_is_folded_apart_from_it() -> None:
    body = "Agreed.\n-- \nAlice\n-----Original Message-----\nFrom: Bob\n\nPlease merge."
    assert split_blocks(body) == [
        Block("text", "Agreed."),
        Block("signature", "-- \nAlice"),
        Block("quote", "-----Original Message-----\nFrom: Bob\n\nPlease merge."),
    ]
