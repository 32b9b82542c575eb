"""Each copy of a post carries its own recipient's mute link in the footer. After the first
copy, the others are written from a template with a placeholder for the link: over every
message of the corpus's edge cases (8bit, quoted-printable and base64 text, multipart, HTML
only, broken MIME), each copy is byte for byte what adding its own footer gives."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from forum.mail.delivery import _Outgoing, personalised
from forum.mail.topic_links import mute_url
from forum.settings import Settings

RECIPIENTS = ["a@b.vn", "giaovien.nguyenvanthanh@thpt-chuvanan.hanoi.edu.vn", "x@y.example"]


def _item(raw: bytes) -> _Outgoing:
    return _Outgoing(raw, "post", "thpt", "example.org", thread_id=42)


def test_copies_from_the_template_are_what_each_footer_gives(
    app: Flask, settings: Settings, corpus: Path
) -> None:
    messages = sorted(path for path in (corpus / "edge").rglob("*") if path.is_file())
    templated = 0
    for path in messages:
        raw = path.read_bytes()
        shared = _item(raw)
        for recipient in RECIPIENTS:
            own = personalised(_item(raw), recipient, settings)  # a fresh item: no template
            assert personalised(shared, recipient, settings) == own, (path.name, recipient)
            link = mute_url(settings.base_url, settings.secret_key, 42, recipient)
            assert f"<{link}>".encode() in own.replace(b"\r\n ", b" ").replace(b"\n ", b" ")
        templated += shared.mute_template is not None
    assert len(messages) > 100
    assert templated > len(messages) // 2  # most mail takes the template
