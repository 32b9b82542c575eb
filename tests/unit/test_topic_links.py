"""Mute links and mute replies: signed for one member and one thread; only a bare "tắt" or
"mute" is a command."""

from __future__ import annotations

from forum.mail.topic_links import mute_footer_line, mute_token, read_mute_token
from forum.topics.steps import is_mute_command


def test_a_mute_token_names_its_thread_and_member_and_cannot_be_forged() -> None:
    token = mute_token("secret", 42, "Co.Lan@Truong.edu.vn")
    assert read_mute_token("secret", token) == (42, "co.lan@truong.edu.vn")
    assert read_mute_token("other secret", token) is None
    assert read_mute_token("secret", token[:-2] + "xx") is None
    assert read_mute_token("secret", "garbage") is None


def test_the_footer_line_is_bilingual_once() -> None:
    url = "http://forum.test/topics/mute/t"
    assert mute_footer_line(url, "Tắt chủ đề này", "Mute this topic") == (
        "Tắt chủ đề này / Mute this topic: http://forum.test/topics/mute/t"
    )
    assert mute_footer_line(url, "Mute", "Mute") == "Mute: http://forum.test/topics/mute/t"


def test_only_a_bare_mute_word_is_a_command() -> None:
    for text in ("tắt", "Tắt.", " TẮT \n", "mute", "Mute this topic", "tat", "tắt chủ đề này"):
        assert is_mute_command(text), text
    for text in ("tắt máy chiếu trước khi về", "mute?", "", "đã nhận", "tắt tắt"):
        assert not is_mute_command(text), text
