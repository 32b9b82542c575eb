"""One-click unsubscribe (RFC 8058): the signed link in every delivered copy, no sign-in."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from forum.extensions import db, session
from forum.lists.lists import find_list
from forum.lists.members import find_member
from forum.lists.subscriptions import request_leave
from forum.mail.unsubscribe import read_unsubscribe_token
from forum.settings import Settings

bp = Blueprint("leave", __name__, url_prefix="/lists/<name>")


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def one_click(name: str, token: str) -> tuple[str, int] | str:
    settings: Settings = current_app.config["FORUM"]
    signed = read_unsubscribe_token(settings.secret_key, token)
    mlist = find_list(session(), name)
    if signed is None or mlist is None or signed[0] != mlist.name:
        abort(404)
    email = signed[1]
    member = find_member(session(), mlist, email)
    if request.method == "GET":  # mail scanners follow links: only a POST unsubscribes
        return render_template("lists/unsubscribe.html", mlist=mlist, email=email, member=member)
    outcome = "left"
    if member is not None:
        outcome = request_leave(session(), settings, mlist, member)  # with a goodbye message
        db.session.commit()
    return render_template(
        "lists/unsubscribe.html", mlist=mlist, email=email, member=None, done=True, outcome=outcome
    )
