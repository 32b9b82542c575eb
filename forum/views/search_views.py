"""Search pages: site-wide and per list, with an Atom feed of any search."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, current_app, render_template, request

from archive.db import utcnow
from archive.models import MailingList
from forum.accounts.accounts import current_account
from forum.extensions import session
from forum.lists.access import can_read, readable_list_ids
from forum.lists.lists import find_list
from forum.search.queries import Asked, SearchPage, run_search
from forum.settings import Settings

bp = Blueprint("search", __name__)
FEED_SIZE = 30
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@bp.app_template_filter("xml_text")
def xml_text(text: str) -> str:
    """Text without the characters XML 1.0 forbids (mail and queries may carry them)."""
    return _NOT_XML.sub("", text)


def _settings() -> Settings:
    settings: Settings = current_app.config["FORUM"]
    return settings


def _list_or_404(name: str) -> MailingList:
    mlist = find_list(session(), name)
    if mlist is None or not can_read(session(), mlist, current_account()):
        abort(404)  # a private list is not even said to exist
    return mlist


def _search(mlist: MailingList | None, feed: bool) -> SearchPage:
    list_ids = frozenset({mlist.id}) if mlist else readable_list_ids(session(), current_account())
    text = request.args.get("q", "")
    thread = request.args.get("thread", type=int)
    if thread:  # the thread page's "search this thread" box: the operator, not shown there
        text = f"{text} in:thread:{thread}"
    asked = Asked(
        text=text,
        list_ids=list_ids,
        page=1 if feed else request.args.get("page", 1, type=int) or 1,
        per_page=FEED_SIZE if feed else _settings().page_size,
        by_date=feed or request.args.get("sort") == "date",
        facets=not feed,
    )
    return run_search(session(), _settings(), asked)


def _respond(mlist: MailingList | None, feed: bool) -> str | Response:
    feed = feed or request.args.get("format") == "atom"
    found = _search(mlist, feed)
    if feed:
        body = render_template(
            "search/feed.xml",
            mlist=mlist,
            result=found,
            base_url=_settings().base_url,
            request_url=request.url,
            updated=found.found[0].hit.date if found.found else utcnow(),
        )
        return Response(body, mimetype="application/atom+xml")
    if found.page > 1 and found.page > found.pages:
        abort(404)
    thread_id = request.args.get("thread", type=int)
    return render_template("search/search.html", mlist=mlist, result=found, thread_id=thread_id)


@bp.route("/search")
def site_search() -> str | Response:
    return _respond(None, feed=False)


@bp.route("/search/feed.atom")
def site_feed() -> str | Response:
    return _respond(None, feed=True)


@bp.route("/lists/<name>/search")
def list_search(name: str) -> str | Response:
    return _respond(_list_or_404(name), feed=False)


@bp.route("/lists/<name>/search/feed.atom")
def list_feed(name: str) -> str | Response:
    return _respond(_list_or_404(name), feed=True)
