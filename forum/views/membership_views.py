"""Joining and leaving on the web: the subscribe form (double opt-in) and the confirm link."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from forum.extensions import db, session
from forum.lists.lists import find_list
from forum.lists.replies import ReplyGate, too_many_message
from forum.lists.roster import normalise_address
from forum.lists.subscriptions import confirm, start
from forum.models import PendingRequest
from forum.ratelimit import allowed
from forum.settings import Settings
from forum.tokens import token_hash

bp = Blueprint("membership", __name__)
PER_CLIENT = 10  # web requests that send mail, per client per hour


def _settings() -> Settings:
    settings: Settings = current_app.config["FORUM"]
    return settings


def _clean(field: str, limit: int) -> str:
    value = request.form.get(field, "")
    if "\r" in value or "\n" in value:
        abort(400)  # no header injection through a form field
    return value.strip()[:limit]


@bp.route("/lists/<name>/subscribe", methods=["POST"])
def subscribe(name: str) -> tuple[str, int] | str:
    mlist = find_list(session(), name)
    if mlist is None:
        abort(404)
    email = normalise_address(_clean("email", 320)) or ""
    display_name = _clean("name", 200)
    action: Literal["join", "leave"] = "leave" if request.form.get("action") == "leave" else "join"
    if not email:  # `giaovien@abc` or `a b@x.vn` cannot be mailed
        return render_template(
            "lists/subscribe_result.html",
            mlist=mlist,
            message=_("Please enter a valid email address."),
        ), 400
    client = request.remote_addr or "unknown"
    if not allowed(session(), f"web-subscribe:{client}", PER_CLIENT, timedelta(hours=1)):
        db.session.commit()
        return render_template(
            "lists/subscribe_result.html",
            mlist=mlist,
            message=_("Too many requests. Please try again later."),
        ), 429
    gate = ReplyGate(session(), _settings(), email, by_mail=False)
    start(session(), _settings(), mlist, email, display_name, action, gate=gate)
    db.session.commit()
    if gate.refused_until is not None:
        return render_template(
            "lists/subscribe_result.html", mlist=mlist, message=too_many_message(gate)
        ), 429
    # The same answer whatever happened, so the form tells nobody who is a member.
    return render_template(
        "lists/subscribe_result.html",
        mlist=mlist,
        message=_(
            "If the address can be %(what)s, a message is on its way to %(email)s: "
            "reply to it or open its link to confirm.",
            what=_("added") if action == "join" else _("removed"),
            email=email,
        ),
    )


@bp.route("/lists/<name>/leave")
def leave_form(name: str) -> str:
    """Where the leave link under each delivered copy leads: one address, one button."""
    mlist = find_list(session(), name)
    if mlist is None:
        abort(404)
    return render_template("lists/leave.html", mlist=mlist)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_link(token: str) -> tuple[str, int] | str:
    pending = session().scalar(
        select(PendingRequest).where(PendingRequest.token_hash == token_hash(token))
    )
    if pending is None:
        return render_template("lists/confirm.html", pending=None, result="unknown"), 404
    if request.method == "GET":  # link checkers open links: only the button confirms
        return render_template("lists/confirm.html", pending=pending, result=None)
    result = confirm(session(), _settings(), token, None)
    db.session.commit()
    return render_template("lists/confirm.html", pending=pending, result=result)
