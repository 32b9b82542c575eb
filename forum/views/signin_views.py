"""Signing in with a link sent by mail, and signing out."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from forum.accounts.accounts import sign_in, sign_out
from forum.accounts.signin import send_link, use_link
from forum.extensions import db, session
from forum.ratelimit import allowed
from forum.settings import Settings
from forum.views.redirects import local_target

bp = Blueprint("signin", __name__)
WINDOW = timedelta(minutes=15)
PER_ADDRESS = 3
PER_CLIENT = 10


@bp.route("/signin", methods=["GET", "POST"])
def request_link() -> tuple[str, int] | str:
    if request.method == "GET":
        # `next`: a page refused the reader; `back`: the header's link, nothing was refused.
        asked = request.args.get("next") or request.args.get("back")
        return render_template(
            "accounts/signin.html",
            sent=False,
            next=local_target(asked, ""),
            refused=bool(request.args.get("next")),
        )
    email = request.form.get("email", "").strip().lower()
    if "\r" in email or "\n" in email or "@" not in email:
        return render_template(
            "accounts/signin.html", sent=False, error=_("Please enter a valid email address.")
        ), 400
    client = request.remote_addr or "unknown"
    if not (
        allowed(session(), f"signin:addr:{email}", PER_ADDRESS, WINDOW)
        and allowed(session(), f"signin:client:{client}", PER_CLIENT, WINDOW)
    ):
        db.session.commit()
        return render_template(
            "accounts/signin.html",
            sent=False,
            error=_("Too many requests. Please try again later."),
        ), 429
    settings: Settings = current_app.config["FORUM"]
    send_link(session(), settings, email, local_target(request.form.get("next"), ""))
    db.session.commit()
    return render_template(
        "accounts/signin.html", sent=True, email=email
    )  # the same for unknown addresses


@bp.route("/signin/<token>", methods=["GET", "POST"])
def follow_link(token: str) -> tuple[str, int] | str | Response:
    next_path = request.args.get("next")
    if request.method == "GET":  # mail scanners open links: only the button signs in
        return render_template("accounts/signin_confirm.html", next=local_target(next_path, ""))
    target = local_target(next_path)  # checked before the link is spent
    account = use_link(session(), token)
    if account is None:
        db.session.commit()
        return render_template(
            "accounts/signin.html",
            sent=False,
            error=_("This sign-in link is not valid any more. Ask for a new one."),
        ), 400
    sign_in(account)
    db.session.commit()
    return redirect(target)


@bp.route("/signout", methods=["POST"])
def signout() -> Response:
    sign_out()
    return redirect(url_for("site.index"))
