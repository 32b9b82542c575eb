"""Muting and following a thread: by a signed link from a delivered copy (no sign-in), from
the thread page and from the member's profile (signed in)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from archive.models import MailingList, Thread
from forum.accounts.accounts import current_account
from forum.extensions import db, session
from forum.lists.members import find_member
from forum.mail.topic_links import read_mute_token
from forum.settings import Settings
from forum.topics.choices import choice_of, choose
from forum.topics.models import FOLLOW, MUTE

bp = Blueprint("topics", __name__, url_prefix="/topics")
ACTIONS = {"mute": MUTE, "follow": FOLLOW, "clear": None}


def _thread_and_list(thread_id: int) -> tuple[Thread, MailingList]:
    thread = session().get(Thread, thread_id)
    if thread is None:
        abort(404)
    return thread, thread.mailing_list


@bp.route("/mute/<token>", methods=["GET", "POST"])
def mute_by_link(token: str) -> str:
    """The copy's "Mute this topic" link: a page with one button (mail scanners open links,
    so a GET never changes anything), then the choice and a way to undo it."""
    settings: Settings = current_app.config["FORUM"]
    found = read_mute_token(settings.secret_key, token)
    if found is None:
        abort(404)
    thread_id, email = found
    thread, mlist = _thread_and_list(thread_id)
    if request.method == "POST":
        action = request.form.get("action", "mute")
        if action not in ACTIONS:
            abort(400)
        choose(session(), thread.id, email, ACTIONS[action])
        db.session.commit()
    state = choice_of(session(), thread.id, email)
    return render_template("topics/mute.html", thread=thread, mlist=mlist, email=email, state=state)


@bp.route("/<int:thread_id>", methods=["POST"])
def choose_on_web(thread_id: int) -> Response:
    """Mute, follow or forget a thread, signed in as a member of its group."""
    account = current_account()
    if account is None:
        return redirect(url_for("signin.request_link"))
    thread, mlist = _thread_and_list(thread_id)
    action = request.form.get("action", "")
    if action not in ACTIONS or find_member(session(), mlist, account.email) is None:
        abort(403)
    choose(session(), thread.id, account.email, ACTIONS[action])
    db.session.commit()
    flash(str(_MESSAGES[action]), "status")
    if request.form.get("back") == "profile":
        return redirect(url_for("profile.me"))
    return redirect(url_for("archive.thread_page", name=mlist.name, thread_id=thread.id))


_MESSAGES = {
    "mute": _l("Topic muted: its new messages are no longer mailed to you."),
    "follow": _l("You follow this topic: its new messages are mailed to you."),
    "clear": _l("Your delivery mode decides again for this topic."),
}
