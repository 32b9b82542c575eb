"""The site index, template filters and error pages."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Flask, render_template
from flask_babel import format_datetime
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from archive.display import split_blocks
from archive.models import Message
from archive.parse import parse_message
from forum.archive_queries import list_summaries
from forum.extensions import session
from forum.hold_reason_text import reasons_text
from forum.obfuscate import obfuscate_address, obfuscate_text
from forum.webpost import is_web_post, render_markdown

bp = Blueprint("site", __name__)


@bp.route("/")
def index() -> str:
    return render_template("index.html", summaries=list_summaries(session()))


def _when(value: datetime | None, fmt: str = "medium") -> str:
    return "" if value is None else format_datetime(value, fmt)


def _body_blocks(text: str) -> list[tuple[str, Markup]]:
    """Body text split into text / quote / signature blocks, addresses hidden, escaped."""
    return [(b.kind, escape(obfuscate_text(b.text))) for b in split_blocks(text)]


def _web_post_html(message: Message) -> Markup | None:
    """A message written on the web, shown as its Markdown renders (addresses hidden)."""
    if not is_web_post(message.raw):
        return None
    return Markup(render_markdown(obfuscate_text(message.body_text)))  # noqa: S704 - sanitised


def register_filters(app: Flask) -> None:
    app.add_template_filter(_when, "when")
    app.add_template_filter(obfuscate_address, "hide_address")
    app.add_template_filter(obfuscate_text, "hide_addresses")
    app.add_template_filter(_body_blocks, "body_blocks")
    app.add_template_filter(_web_post_html, "web_post_html")
    app.add_template_filter(reasons_text, "hold_reasons")
    app.add_template_filter(parse_message, "parsed_mail")
    app.register_error_handler(HTTPException, _http_error)


def _http_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    return render_template("error.html", error=error, code=code), code
