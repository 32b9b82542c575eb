"""Text parts we write are 8bit, quoted-printable only past RFC 5322's line limit."""

from __future__ import annotations

from forum.mail.header_folding import text_encoding


def test_vietnamese_with_long_lines_is_8bit_and_a_line_past_998_bytes_is_quoted_printable() -> None:
    assert text_encoding("Xác nhận: http://forum.test/confirm/" + "a" * 40 + " dài" * 150) == "8bit"
    assert text_encoding("") == "8bit"
    assert text_encoding("ạ" * 333 + "\nok") == "quoted-printable"  # 999 bytes
