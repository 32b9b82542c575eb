"""The moderation queue on the web, for the list's moderators and owners (and the site admin)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from archive.models import MailingList
from forum.accounts.accounts import current_account
from forum.extensions import db, dmarc, session
from forum.lists.lists import find_list
from forum.lists.senders import is_moderator
from forum.models import Account
from forum.posting.moderation import WEB_ACTIONS, Verdict, decide_held, marked_among, waiting
from forum.settings import Settings

bp = Blueprint("moderation", __name__, url_prefix="/moderation/<name>")


def _moderated_list(name: str) -> tuple[MailingList, Account]:
    mlist = find_list(session(), name)
    account = current_account()
    if mlist is None:
        abort(404)
    if account is None:
        abort(
            Response(
                status=302, headers={"Location": url_for("signin.request_link", next=request.path)}
            )
        )
    if not (account.is_admin or is_moderator(session(), mlist, account.email)):
        abort(403)
    return mlist, account


@bp.route("/")
def queue(name: str) -> str:
    mlist, _account = _moderated_list(name)
    return render_template(
        "posting/moderation.html", mlist=mlist, held=waiting(session(), mlist), confirm_ids=[]
    )


@bp.route("/", methods=["POST"])
def decide(name: str) -> Response:
    mlist, account = _moderated_list(name)
    action = request.form.get("action", "")
    reason = request.form.get("reason", "").replace("\r", " ").replace("\n", " ").strip()[:500]
    ids = [int(i) for i in request.form.getlist("held") if i.isdigit()]
    if action not in WEB_ACTIONS or not ids:
        flash(_("Choose at least one message and an action."), "error")
        return redirect(url_for("moderation.queue", name=name))
    marked = marked_among(session(), mlist, ids)
    if action in ("approve", "accept") and marked and request.form.get("confirm_marked") != "yes":
        flash(_("Confirm: the selection holds posts with a confidentiality mark."), "error")
        page = render_template(
            "posting/moderation.html",
            mlist=mlist,
            held=waiting(session(), mlist),
            confirm_ids=ids,
            confirm_action=action,
        )
        return Response(page, status=409, mimetype="text/html")
    settings: Settings = current_app.config["FORUM"]
    verdict = Verdict(action, account.email, reason)
    done = decide_held(session(), settings, mlist, ids, verdict, dmarc())
    db.session.commit()
    said = {
        "approve": _("%(n)d message(s) approved and sent to the group.", n=done),
        "accept": _("%(n)d message(s) approved; their senders may post from now on.", n=done),
        "reject": _("%(n)d message(s) rejected; the senders were told.", n=done),
        "discard": _("%(n)d message(s) discarded.", n=done),
        "defer": _("%(n)d message(s) left for later.", n=done),
    }
    flash(said[action], "status")
    return redirect(url_for("moderation.queue", name=name))
