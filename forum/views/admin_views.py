"""Site admin pages: sign in with the admin password, the inbound queue, delivery status."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from archive.models import MailingList
from forum.accounts.accounts import (
    admin_required,
    current_account,
    find_account,
    password_matches,
    sign_in,
    sign_out,
)
from forum.extensions import db, session
from forum.lists.senders import is_moderator
from forum.mail.inbound import retry_failed
from forum.ratelimit import allowed
from forum.reading import admin as q
from forum.views.redirects import local_target

bp = Blueprint("admin", __name__, url_prefix="/admin")
ATTEMPTS = 5  # failed or not, per address and per client, in the window below
WINDOW = timedelta(minutes=15)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if request.method == "GET":
        return render_template("admin/login.html")
    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    client = request.remote_addr or "unknown"
    if not (
        allowed(session(), f"login:addr:{email.lower()}", ATTEMPTS, WINDOW)
        and allowed(session(), f"login:client:{client}", ATTEMPTS * 4, WINDOW)
    ):
        db.session.commit()
        flash(_("Too many attempts. Please wait a few minutes."), "error")
        return render_template("admin/login.html"), 429  # type: ignore[return-value]
    account = find_account(session(), email)
    if not password_matches(account, password) or account is None or not account.is_admin:
        db.session.commit()
        flash(_("Wrong address or password."), "error")
        return render_template("admin/login.html"), 401  # type: ignore[return-value]
    sign_in(account)
    db.session.commit()
    return redirect(local_target(request.args.get("next"), url_for("admin.index")))


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    sign_out()
    return redirect(url_for("site.index"))


@bp.route("/")
@admin_required
def index() -> str:
    return render_template(
        "admin/index.html",
        inbound=q.waiting_inbound(session()),
        outgoing=q.outgoing_summaries(session()),
        without_focal=q.lists_without_focal_point(session()),
        lists=q.all_lists(session()),
        focal=q.focal_points(session()),
    )


@bp.route("/inbound/<int:item_id>/retry", methods=["POST"])
@admin_required
def retry(item_id: int) -> Response:
    retry_failed(session(), item_id)
    return redirect(url_for("admin.index"))


@bp.route("/outgoing/<int:outgoing_id>/")
def outgoing(outgoing_id: int) -> str | Response:
    """Per-recipient delivery status: for the site admin and the list's owners."""
    account = current_account()
    if account is None:
        return redirect(url_for("signin.request_link", next=request.path))
    summary = q.outgoing_summary(session(), outgoing_id)
    if summary is None:
        abort(404)
    mlist = (
        session().get(MailingList, summary.outgoing.list_id) if summary.outgoing.list_id else None
    )
    owner = mlist is not None and is_moderator(session(), mlist, account.email)
    if not (account.is_admin or owner):
        abort(403)
    state = request.args.get("state")
    copies = q.copies_of(session(), summary.outgoing)
    page = db.paginate(q.deliveries_query(copies, state), per_page=100, max_per_page=500)
    return render_template(
        "admin/outgoing.html", summary=summary, page=page, state=state, states=q.STATES
    )
