"""Decoding bytes in declared, misdeclared, unknown and missing charsets to NFC text."""

from __future__ import annotations

import unicodedata

import pytest

from archive.charsets import decode_bytes, nfc

RUSSIAN = (
    "Привет, как дела? Всё хорошо. Я попробовал собрать ядро для MIPS, но получил "
    "ошибку при компиляции драйвера сети. Подскажите, пожалуйста, что делать."
)


def test_ascii_comes_back_unchanged_without_a_note() -> None:
    assert decode_bytes(b"plain text\n", "us-ascii") == ("plain text\n", None)
    assert decode_bytes(b"plain text\n", None) == ("plain text\n", None)


def test_windows_1258_tone_marks_are_composed_into_nfc() -> None:
    # cp1258 writes "ệ" as e-circumflex (0xEA) followed by a combining dot below (0xF2).
    text, note = decode_bytes(b"Vi\xea\xf2t Nam, Ph\xfa L\xfdu An", "windows-1258")
    assert text == "Việt Nam, Phú Lưu An"
    assert unicodedata.is_normalized("NFC", text)
    assert note is None


def test_nfd_utf8_becomes_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Trường Tiểu học Đống Đa")
    text, _ = decode_bytes(decomposed.encode("utf-8"), "utf-8")
    assert text == unicodedata.normalize("NFC", "Trường Tiểu học Đống Đa")
    assert len(text) < len(decomposed)


@pytest.mark.parametrize(
    "label",
    [
        "x-unknown",
        "unknown-8bit",
        "x-user-defined",
        "DEFAULT_CHARSET",
        "ansi_x3.110-1983",
        "iso-0646-6",
        "rot13",
        "base64",
        "unicode_escape",
    ],
)
def test_unknown_or_non_text_labels_give_text_and_a_note(label: str) -> None:
    text, note = decode_bytes("Grüße aus München".encode("cp1252"), label)
    assert text == "Grüße aus München"
    assert note is not None
    assert label.lower() in note


def test_unknown_label_on_ascii_still_gets_a_note() -> None:
    assert decode_bytes(b"hello", "x-unknown") == ("hello", "unknown charset 'x-unknown'")


@pytest.mark.parametrize(
    ("label", "data", "expected"),
    [
        ("uft-8", "Tiếng Việt".encode(), "Tiếng Việt"),
        ("x-gbk", "囍喆".encode("gbk"), "囍喆"),
        ("gb2312", "中文 囍".encode("gbk"), "中文 囍"),
        ("ks_c_5601-1987", "똠방각하".encode("cp949"), "똠방각하"),
        ("unicode-1-1-utf-7", b"Hi Mom -+Jjo--!", "Hi Mom -☺-!"),
        ("x-unicode-2-0-utf-7", b"Hi Mom -+Jjo--!", "Hi Mom -☺-!"),
        ("windows-1258", b"Tr\xfd\xf5\xccng", "Trường"),
        ('"ISO-8859-2"', "Žluťoučký kůň".encode("iso-8859-2"), "Žluťoučký kůň"),
    ],
)
def test_misspelt_and_vendor_labels_decode(label: str, data: bytes, expected: str) -> None:
    assert decode_bytes(data, label) == (expected, None)


def test_iso_8859_1_label_on_windows_1252_bytes_decodes_smart_quotes() -> None:
    text, _ = decode_bytes(b"\x93quoted\x94 costs \x80 5 \x96 caf\xe9", "iso-8859-1")
    assert text == "“quoted” costs € 5 – café"


def test_us_ascii_label_on_utf8_bytes_decodes_as_utf8_with_a_note() -> None:
    text, note = decode_bytes("Xin chào".encode(), "us-ascii")
    assert text == "Xin chào"
    assert note is not None


def test_viscii_label_decodes_vietnamese_letters() -> None:
    assert decode_bytes(b"Vi\xaet Nam \xf0\xa7u", "viscii") == ("Việt Nam đậu", None)


def test_invalid_bytes_for_the_declared_charset_are_replaced_with_a_note() -> None:
    text, note = decode_bytes(b"ok \xff\xfe bad", "utf-8")
    assert text.startswith("ok ")
    assert text.endswith(" bad")
    assert "\ufffd" in text
    assert note is not None


def test_undeclared_utf8_is_recognised_without_a_note() -> None:
    assert decode_bytes("Đình Tuấn Hoàng".encode(), None) == ("Đình Tuấn Hoàng", None)


def test_undeclared_legacy_text_is_guessed_with_a_note() -> None:
    text, note = decode_bytes(RUSSIAN.encode("koi8-r"), None)
    assert text == RUSSIAN
    assert note is not None
    assert "guessed" in note


def test_a_few_undeclared_8bit_bytes_are_read_as_windows_1252() -> None:
    text, note = decode_bytes(b"Greetings from G\xfctersloh, the town.", None)
    assert text == "Greetings from Gütersloh, the town."
    assert note is not None


def test_nfc_leaves_composed_text_alone_and_composes_the_rest() -> None:
    composed = "Phú Lưu An"
    assert nfc(composed) is composed
    assert nfc(unicodedata.normalize("NFD", composed)) == composed
