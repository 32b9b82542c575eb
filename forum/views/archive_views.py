"""Reading the archive: list pages, threads, messages, raw mail, mbox, attachments, feeds."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_sqlalchemy.pagination import Pagination

from archive.export import ExportScope, iter_mbox_chunks
from archive.models import MailingList
from forum import clock
from forum.accounts.accounts import current_account
from forum.extensions import db, session
from forum.lists.access import can_read, can_see_addresses
from forum.lists.lists import aliases_of, find_list
from forum.reading import archive as q
from forum.settings import Settings
from forum.views.context import delivery_status_of, notice_of, reader_of, thread_marks, topic_of

bp = Blueprint("archive", __name__, url_prefix="/lists/<name>")


def _settings() -> Settings:
    settings: Settings = current_app.config["FORUM"]
    return settings


def _list_or_404(name: str) -> MailingList:
    mlist = find_list(session(), name)
    if mlist is None or not can_read(session(), mlist, current_account()):
        abort(404)  # a private list is not even said to exist
    return mlist


def _members_list_or_404(name: str) -> MailingList:
    """For the downloads that show addresses: sign in first, then members only."""
    mlist = _list_or_404(name)
    account = current_account()
    if account is None:
        target = url_for("signin.request_link", next=request.path)
        abort(Response(status=302, headers={"Location": target}))
    if not can_see_addresses(session(), mlist, account):
        abort(403)
    return mlist


def _page(query: object, per_page: int) -> Pagination:
    return db.paginate(query, per_page=per_page, max_per_page=200)  # type: ignore[arg-type]


@bp.route("/")
def list_page(name: str) -> str:
    mlist = _list_or_404(name)
    page = _page(q.threads_query(mlist), _settings().page_size)
    roots = q.root_messages(session(), page.items)
    return render_template(
        "reading/list.html",
        mlist=mlist,
        page=page,
        roots=roots,
        **thread_marks(roots),
        months=q.month_counts(session(), mlist, _settings().timezone),
        aliases=aliases_of(session(), mlist),
        month=None,
        **reader_of(mlist),
    )


@bp.route("/<int:year>-<int:month>/")
def month_page(name: str, year: int, month: int) -> str:
    mlist = _list_or_404(name)
    try:
        start, end = clock.month_bounds(year, month, _settings().timezone)
    except (ValueError, OverflowError):  # no such month, or beyond the calendar
        abort(404)
    page = _page(q.threads_query(mlist, start, end), _settings().page_size)
    roots = q.root_messages(session(), page.items)
    return render_template(
        "reading/list.html",
        mlist=mlist,
        page=page,
        roots=roots,
        **thread_marks(roots),
        months=q.month_counts(session(), mlist, _settings().timezone),
        aliases=aliases_of(session(), mlist),
        month=date(year, month, 1),  # the month asked for (start is its first instant in UTC)
        **reader_of(mlist),
    )


@bp.route("/thread/<int:thread_id>/")
def thread_page(name: str, thread_id: int) -> str:
    mlist = _list_or_404(name)
    thread = q.find_thread(session(), mlist, thread_id) or abort(404)
    page = _page(q.thread_messages_query(thread), 50)
    first = page.items[0].message_id if page.items else None
    return render_template(
        "reading/thread.html",
        mlist=mlist,
        thread=thread,
        page=page,
        topic=topic_of(mlist, thread.id),
        **notice_of(first),
    )


@bp.route("/message/<message_hash>/")
def message_page(name: str, message_hash: str) -> str:
    mlist = _list_or_404(name)
    message = q.find_message(session(), mlist, message_hash) or abort(404)
    previous, following = q.neighbours(session(), message)
    return render_template(
        "reading/message.html",
        mlist=mlist,
        message=message,
        previous=previous,
        following=following,
        outgoing=delivery_status_of(mlist, message),
        **notice_of(message.message_id),
    )


@bp.route("/message/<message_hash>/raw")
def raw_message(name: str, message_hash: str) -> Response:
    mlist = _members_list_or_404(name)
    message = q.find_message(session(), mlist, message_hash) or abort(404)
    return Response(message.raw, mimetype="text/plain")


@bp.route("/message/<message_hash>/attachments/<int:position>/<path:filename>")
def attachment(name: str, message_hash: str, position: int, filename: str) -> Response:
    mlist = _list_or_404(name)
    message = q.find_message(session(), mlist, message_hash) or abort(404)
    found = q.find_attachment(message, position) or abort(404)
    response = Response(found.data, mimetype="application/octet-stream")
    response.headers.set("Content-Disposition", "attachment", filename=found.filename)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/thread/<int:thread_id>.mbox")
def thread_mbox(name: str, thread_id: int) -> Response:
    mlist = _members_list_or_404(name)
    thread = q.find_thread(session(), mlist, thread_id) or abort(404)
    scope = ExportScope(mlist.id, thread_id=thread.id)
    return _mbox_response(scope, f"{mlist.name}-thread-{thread.id}.mbox")


@bp.route("/<int:year>-<int:month>.mbox")
def month_mbox(name: str, year: int, month: int) -> Response:
    mlist = _members_list_or_404(name)
    try:
        start, end = clock.month_bounds(year, month, _settings().timezone)
    except (ValueError, OverflowError):
        abort(404)
    scope = ExportScope(mlist.id, start=start, end=end)
    return _mbox_response(scope, f"{mlist.name}-{year:04d}-{month:02d}.mbox")


def _mbox_response(scope: ExportScope, filename: str) -> Response:
    chunks = iter_mbox_chunks(session(), scope)
    response = Response(stream_with_context(chunks), mimetype="application/mbox")
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response


@bp.route("/feed.atom")
def feed(name: str) -> Response:
    mlist = _list_or_404(name)
    threads = q.newest_threads(session(), mlist)
    body = render_template(
        "reading/feed.xml",
        mlist=mlist,
        threads=threads,
        roots=q.root_messages(session(), threads),
        base_url=_settings().base_url,
        request_url=request.url,
    )
    return Response(body, mimetype="application/atom+xml")
