"""Posts written on the web: their text part is Markdown, told apart by their Message-ID;
what a reader (and a search snippet) sees is the Markdown rendered and sanitised."""

from __future__ import annotations

import re

from archive.sanitize import html_to_text, markdown_to_html

WEB_ID_STRING = "web"  # in the Message-ID of every post written on the web
_WEB_MESSAGE_ID = re.compile(r"\d+\.\d+\.\d+\.web@[^@\s]+")  # as make_msgid writes it


def is_web_post(message_id: str) -> bool:
    """Whether the message was written on the web, so its text is Markdown. Told by its
    Message-ID, which costs nothing to read for a whole thread (the raw mail is not loaded)."""
    return _WEB_MESSAGE_ID.fullmatch(message_id) is not None


def render_markdown(text: str) -> str:
    """The HTML part and the preview: Markdown, then the same sanitiser as incoming mail,
    within its budget (over it, the text is shown as plain paragraphs)."""
    return markdown_to_html(text)


def readable_text(message_id: str, body_text: str) -> str:
    """The body as a reader sees it, in plain text: a web post's Markdown rendered and
    sanitised (no `**`, no table rules, no raw HTML), any other message's text as it is."""
    if not is_web_post(message_id):
        return body_text
    return html_to_text(render_markdown(body_text))
