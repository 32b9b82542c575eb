"""The site index, template filters and error pages."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Flask, render_template
from flask_babel import format_datetime, format_decimal, get_locale
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from archive.models import Message
from archive.own_text import Kind, blocks
from archive.threads import normalize_subject
from archive.web_posts import is_web_post, render_markdown
from forum.extensions import session
from forum.posting.reasons import shown
from forum.reading.archive import list_summaries
from forum.reading.extraction_reasons import extraction_reason
from forum.reading.obfuscate import obfuscate_address, obfuscate_text

bp = Blueprint("site", __name__)


@bp.route("/")
def index() -> str:
    return render_template("reading/index.html", summaries=list_summaries(session()))


# One way of writing dates across the site, four digits for the year; in the site's time zone.
_DATE_PATTERNS = {
    "vi": {"date": "dd/MM/yyyy", "short": "dd/MM/yyyy HH:mm", "full": "EEEE, dd/MM/yyyy HH:mm"},
    "en": {"date": "d MMM yyyy", "short": "d MMM yyyy, HH:mm", "full": "EEEE d MMMM yyyy, HH:mm"},
}


def _when(value: datetime | None, fmt: str = "short") -> str:
    """`date` (a deadline), `short` (lists and pages) or `full` (one message's header)."""
    if value is None:
        return ""
    patterns = _DATE_PATTERNS.get(str(get_locale()), _DATE_PATTERNS["en"])
    return str(format_datetime(value, patterns.get(fmt, patterns["short"])))


def _body_blocks(text: str) -> list[tuple[str, Markup]]:
    """Body text in labelled blocks (`archive.own_text.Kind`), addresses hidden, escaped.
    An Outlook header block folds with the original under it: alone it is only noise."""
    shown: list[tuple[Kind, str]] = []
    for block in blocks(text):
        header = shown[-1] if shown and shown[-1][0] is Kind.ATTRIBUTION else None
        if header is not None and block.kind is Kind.ORIGINAL and "\n" in header[1].strip():
            shown[-1] = (Kind.ORIGINAL, f"{header[1]}\n{block.text}")
            continue
        shown.append((block.kind, block.text))
    return [(str(kind), escape(obfuscate_text(body))) for kind, body in shown]


def _web_post_html(message: Message) -> Markup | None:
    """A message written on the web, shown as its Markdown renders (addresses hidden)."""
    if not is_web_post(message.message_id):
        return None
    return Markup(render_markdown(obfuscate_text(message.body_text)))  # noqa: S704 - sanitised


def _size(count: int) -> str:
    """A file size in the reader's number format: `23 B`, `1,5 KB` (vi) or `1.5 KB` (en)."""
    value, unit = float(count), "B"
    for bigger in ("KB", "MB", "GB"):
        if value < 1024:  # noqa: PLR2004 - bytes in a kilobyte
            break
        value, unit = value / 1024, bigger
    return f"{format_decimal(value, format='#,##0.#')} {unit}"


def register_filters(app: Flask) -> None:
    app.add_template_filter(_when, "when")
    app.add_template_filter(_size, "size")
    app.add_template_filter(obfuscate_address, "hide_address")
    app.add_template_filter(obfuscate_text, "hide_addresses")
    app.add_template_filter(_body_blocks, "body_blocks")
    app.add_template_filter(_web_post_html, "web_post_html")
    app.add_template_filter(shown, "hold_reasons")
    app.add_template_filter(extraction_reason, "extraction_reason")
    app.add_template_filter(normalize_subject, "subject_key")
    app.register_error_handler(HTTPException, _http_error)


def _http_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    return render_template("error.html", error=error, code=code), code
