"""Posts written on the web are told apart by their Message-ID, without loading the raw mail."""

from __future__ import annotations

from email.utils import make_msgid

from archive.web_posts import WEB_ID_STRING, is_web_post


def test_our_web_posts_message_ids_are_recognised() -> None:
    ours = make_msgid(idstring=WEB_ID_STRING, domain="forum.example").strip("<>")
    assert is_web_post(ours)
    for other in (
        make_msgid(domain="forum.example").strip("<>"),
        "CAH+abc.web@mail.gmail.com",  # a client's own id that merely contains ".web@"
        "1.2.3.web@",
        "",
    ):
        assert not is_web_post(other), other
