"""A signed-in member's own page: name, per group the unit, delivery mode, or leaving; the
topics they muted or follow."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from archive.models import Address, MailingList
from forum.accounts.accounts import current_account
from forum.extensions import db, session
from forum.lists.subscriptions import request_leave
from forum.models import Account, Member
from forum.settings import Settings
from forum.topics.choices import chosen_by

bp = Blueprint("profile", __name__, url_prefix="/me")
MODES = ("all", "topics", "digest", "none")


def _account() -> Account:
    account = current_account()
    if account is None:
        abort(
            Response(
                status=302, headers={"Location": url_for("signin.request_link", next=request.path)}
            )
        )
    return account


def _memberships(account: Account) -> list[tuple[Member, MailingList]]:
    query = (
        select(Member, MailingList)
        .join(Address, Address.id == Member.address_id)
        .join(MailingList, MailingList.id == Member.list_id)
        .where(Address.email == account.email.lower())
        .order_by(MailingList.name)
    )
    return [(m, ml) for m, ml in session().execute(query)]


def _one_line(field: str, limit: int) -> str:
    value = request.form.get(field, "")
    if "\r" in value or "\n" in value:
        abort(400)
    return value.strip()[:limit]


@bp.route("/", methods=["GET", "POST"])
def me() -> str | Response:
    account = _account()
    memberships = _memberships(account)
    if request.method == "GET":
        return render_template(
            "accounts/profile.html",
            account=account,
            memberships=memberships,
            modes=MODES,
            topics=chosen_by(session(), account.email),
        )
    name = _one_line("display_name", 200)
    account.display_name = name
    for member, mlist in memberships:
        member.unit = _one_line(f"unit-{mlist.id}", 255)
        mode = request.form.get(f"mode-{mlist.id}", member.delivery_mode)
        member.delivery_mode = mode if mode in MODES else member.delivery_mode
        if name:
            member.address.display_name = name
    db.session.commit()
    flash(_("Saved."), "status")
    return redirect(url_for("profile.me"))


@bp.route("/leave/<int:list_id>", methods=["POST"])
def leave(list_id: int) -> Response:
    account = _account()
    settings: Settings = current_app.config["FORUM"]
    for member, mlist in _memberships(account):
        if mlist.id == list_id:
            outcome = request_leave(session(), settings, mlist, member)
            db.session.commit()
            flash(
                _("You have left %(name)s.", name=mlist.display_name)
                if outcome == "left"
                else _("You are a focal point: the owners have been asked to remove you."),
                "status",
            )
    return redirect(url_for("profile.me"))
