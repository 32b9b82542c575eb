"""Header values: encoded words, raw 8-bit bytes, Message-IDs, References, From and Date."""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import compat32
from pathlib import Path

import pytest

from archive.headers import (
    MAX_REFERENCES,
    decode_header,
    message_id_hash,
    message_ids,
    own_message_id,
    parse_date,
    parse_from,
    references,
    reply_target,
    unixfrom_date,
)


def _raw_header(path: Path, name: str) -> str:
    message = BytesParser(policy=compat32).parsebytes(path.read_bytes(), headersonly=True)
    return next(str(value) for key, value in message.raw_items() if key.lower() == name)


def test_windows_1258_cc_decodes_to_the_nfc_name(mail_corpus: Path) -> None:
    cc = _raw_header(mail_corpus / "vietnamese" / "linux-usb-017390.eml", "cc")
    text, note = decode_header(cc)
    assert "Phú Lưu An <luuanphu@gmail.com>" in text
    assert unicodedata.is_normalized("NFC", text)
    assert note is None


def test_utf8_encoded_vietnamese_sender_name_is_decoded(mail_corpus: Path) -> None:
    value = _raw_header(mail_corpus / "vietnamese" / "usrp-users-003749.eml", "from")
    assert parse_from(value) == ("Đình Tuấn Hoàng via USRP-users", "usrp-users@lists.ettus.com")


@pytest.mark.parametrize("name", ["usrp-users-004299.eml", "usrp-users-004300.eml"])
def test_message_id_hash_matches_mailman_3(mail_corpus: Path, name: str) -> None:
    path = mail_corpus / "vietnamese" / name
    expected = _raw_header(path, "message-id-hash").strip()
    assert message_id_hash(own_message_id(_raw_header(path, "message-id")) or "") == expected


def test_adjacent_encoded_words_are_joined_before_decoding() -> None:
    # "Đình" split in the middle of the two-byte "ì": each word alone is invalid UTF-8.
    assert decode_header("=?utf-8?b?xJDD?= \r\n =?utf-8?b?rG5o?= x") == ("Đình x", None)


def test_whitespace_is_collapsed_and_literal_text_kept() -> None:
    value = "Re:  [thpt]\n\t=?utf-8?q?Th=C3=B4ng_b=C3=A1o?=  h\u1ecdp  "
    assert decode_header(value) == ("Re: [thpt] Thông báo họp", None)


def test_raw_utf8_bytes_in_a_header_are_decoded() -> None:
    raw = "Thông báo".encode().decode("ascii", "surrogateescape")
    assert decode_header(f"Re: {raw}") == ("Re: Thông báo", None)


def test_raw_legacy_bytes_in_a_header_use_the_fallback_charset() -> None:
    raw = "Jörg Müller".encode("latin-1").decode("ascii", "surrogateescape")
    assert decode_header(raw, "iso-8859-1")[0] == "Jörg Müller"


def test_unknown_charset_in_an_encoded_word_gives_text_and_a_note() -> None:
    text, note = decode_header("=?x-unknown?q?Gr=FC=DFe?= all")
    assert text == "Grüße all"
    assert note is not None
    assert "x-unknown" in note


def test_control_characters_are_removed() -> None:
    assert decode_header("bad\x00 sub\x1bject\x7f") == ("bad subject", None)


def test_message_ids_strip_brackets_and_ignore_junk() -> None:
    value = "Other person's message of Saturday, 7 April 2007 <200704070053.46646.a@example.com>"
    assert message_ids(value) == ["200704070053.46646.a@example.com"]


def test_message_ids_tolerate_a_missing_bracket_and_folded_whitespace() -> None:
    assert message_ids("<a@example\n b.com> <c@d") == ["a@exampleb.com", "c@d"]


def test_message_ids_without_brackets_are_found_by_their_at_sign() -> None:
    assert message_ids("abc@example.com, def@example.com") == ["abc@example.com", "def@example.com"]


def test_a_person_named_in_in_reply_to_is_not_a_message_id() -> None:
    assert message_ids('ariel@yon (Ariel Faigon) "Re: kickoff" (Apr 19, 5:22pm)') == []
    old_style = 'Message from Ralf <ralf@oss.sgi.com> of "Fri, 10 Aug 2001" <2001.C23@bacchus>'
    assert reply_target(old_style, "own@x") == "2001.C23@bacchus"
    assert reply_target("<own@x>", "own@x") is None


def test_own_message_id_accepts_a_bare_value() -> None:
    assert own_message_id("msg1") == "msg1"
    assert own_message_id("  <x@y>  ") == "x@y"
    assert own_message_id("   ") is None
    assert own_message_id(None) is None


def test_references_are_oldest_first_unique_and_never_the_message_itself() -> None:
    value = "<root@x> <a@x>\n <root@x> <me@x> <b@x>"
    assert references(value, "me@x") == ("root@x", "a@x", "b@x")


def test_very_long_references_keep_the_root_and_the_recent_tail() -> None:
    value = " ".join(f"<{n}@x>" for n in range(500))
    kept = references(value, "me@x")
    assert len(kept) == MAX_REFERENCES
    assert kept[0] == "0@x"
    assert kept[-1] == "499@x"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Ralf Baechle <Ralf@Linux-MIPS.org>", ("Ralf Baechle", "Ralf@linux-mips.org")),
        ("ralf@uni-koblenz.de (Ralf Baechle)", ("Ralf Baechle", "ralf@uni-koblenz.de")),
        ('"Nguyễn Văn A" <a@truong.edu.vn>', ("Nguyễn Văn A", "a@truong.edu.vn")),
        (
            "vondruch at redhat.com (=?ISO-8859-2?Q?V=EDt_Ondruch?=)",
            ("Vít Ondruch", "vondruch@redhat.com"),
        ),
        ("Foo <foo@bar.com>, Baz <baz@q.com>", ("Foo", "foo@bar.com")),
        ("unlisted-recipients:; (no To-header on input)", ("", "")),
        ("", ("", "")),
        (None, ("", "")),
    ],
)
def test_from_header_gives_name_and_address(value: str | None, expected: tuple[str, str]) -> None:
    assert parse_from(value) == expected


def test_raw_8bit_display_name_is_decoded() -> None:
    raw = "Lê Văn Bình".encode().decode("ascii", "surrogateescape")
    assert parse_from(f"{raw} <binh@example.vn>") == ("Lê Văn Bình", "binh@example.vn")


def test_good_date_becomes_aware_utc() -> None:
    assert parse_date("Mon, 8 Nov 1999 20:53:05 -0600") == (
        datetime(1999, 11, 9, 2, 53, 5, tzinfo=UTC),
        None,
    )


def test_date_without_zone_is_read_as_utc() -> None:
    assert parse_date("Tue, 30 Mar 2004 10:00:00")[0] == datetime(2004, 3, 30, 10, tzinfo=UTC)


def test_german_weekday_and_month_still_parse() -> None:
    date, note = parse_date("Donnerstag, 13 Juni 2002 06:03:33 0100")
    assert date == datetime(2002, 6, 13, 5, 3, 33, tzinfo=UTC)
    assert note is None


def test_impossible_time_zone_is_read_as_utc_with_a_note() -> None:
    date, note = parse_date("Tue, 30 Sep 1997 18:02:51 -3100 (PDT)")
    assert date == datetime(1997, 9, 30, 18, 2, 51, tzinfo=UTC)
    assert note is not None


@pytest.mark.parametrize(
    "value",
    [
        "Tue, 30 Oct 1979 04:28:38 +0100 (CET)",
        "Sat, 18 May 0102 19:56:53 -0900",
        "Thu, 1 Jan 2099 00:00:00 +0000",
        "Tue, 30 Feb 2000 10:00:00 +0000",
        "\udcbf\udcf9, 27 6 2001 15:23:36",
        "yesterday",
    ],
)
def test_nonsense_dates_give_none_and_a_note(value: str) -> None:
    date, note = parse_date(value)
    assert date is None
    assert note


def test_missing_date_gives_none_without_a_note() -> None:
    assert parse_date(None) == (None, None)
    assert parse_date("  ") == (None, None)


def test_mbox_from_line_date_is_read() -> None:
    line = "From test at example.com  Fri Apr  6 22:43:55 2007"
    assert unixfrom_date(line) == datetime(2007, 4, 6, 22, 43, 55, tzinfo=UTC)
    assert unixfrom_date("From nobody") is None


def test_message_id_hash_is_base32_of_sha1() -> None:
    digest = message_id_hash("4FFC1228.3060409@redhat.com")
    assert re.fullmatch(r"[A-Z2-7]{32}", digest)
    assert digest == message_id_hash("4FFC1228.3060409@redhat.com")


def test_an_address_flanker_cannot_lex_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    name, email = parse_from("santhosh <ps\\santhosh@gdatech.co.in>")  # a backslash: no token
    assert name == "santhosh"
    assert email.endswith("santhosh@gdatech.co.in")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("flanker")] == []


@pytest.mark.parametrize(
    "header",
    [
        "santhosh <\x03ps.santhosh@gdatech.co.in>",  # as linux-mips has it
        "santhosh\x7f <ps.santhosh@gdatech.co.in\x00>",
        "=?utf-8?q?santhosh?= <ps.santhosh@\x1bgdatech.co.in>",
    ],
)
def test_control_characters_are_left_out_of_the_sender(header: str) -> None:
    assert parse_from(header) == ("santhosh", "ps.santhosh@gdatech.co.in")
