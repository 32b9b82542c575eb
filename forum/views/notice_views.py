"""Notices on the web: the one-click acknowledgement and the dashboard (with CSV)."""

from __future__ import annotations

import csv
import io

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from archive.models import MailingList, Message
from forum import clock
from forum.accounts.accounts import current_account
from forum.extensions import db, session
from forum.notices.access import can_see_dashboard, notice_lists, notices_for
from forum.notices.models import Notice
from forum.notices.notices import acknowledge, read_ack_token, status
from forum.notices.receipts import send_receipt
from forum.settings import Settings

bp = Blueprint("notices", __name__, url_prefix="/notices")


@bp.route("/ack/<token>", methods=["GET", "POST"])
def ack(token: str) -> str:
    settings: Settings = current_app.config["FORUM"]
    signed = read_ack_token(settings.secret_key, token)
    notice = session().get(Notice, signed[0]) if signed else None
    if signed is None or notice is None:
        abort(404)
    done = False
    if request.method == "POST":  # link scanners only GET: the button acknowledges
        if acknowledge(session(), notice, signed[1], "link"):
            send_receipt(session(), settings, notice, signed[1])
        db.session.commit()
        done = True
    archived = (
        session()
        .execute(
            select(MailingList.name, Message.message_id_hash)
            .join(Message, Message.list_id == MailingList.id)
            .where(Message.message_id == notice.message_id)
            .limit(1)
        )
        .first()
    )
    return render_template(
        "notices/ack.html", notice=notice, email=signed[1], done=done, archived=archived
    )


def _visible_notice(notice_id: int) -> Notice:
    notice = session().get(Notice, notice_id)
    account = current_account()
    if notice is None:
        abort(404)
    if account is None:
        abort(
            Response(
                status=302, headers={"Location": url_for("signin.request_link", next=request.path)}
            )
        )
    if not can_see_dashboard(session(), notice, account):
        abort(403)
    return notice


@bp.route("/")
def index() -> str:
    """The notices sent to the signed-in person's groups, with what each asks of them."""
    account = current_account()
    if account is None:
        abort(Response(status=302, headers={"Location": _sign_in_first()}))
    settings: Settings = current_app.config["FORUM"]
    return render_template(
        "notices/notices.html", entries=notices_for(session(), settings, account)
    )


def _sign_in_first() -> str:
    return url_for("signin.request_link", next=request.path)


@bp.route("/<int:notice_id>/")
def dashboard(notice_id: int) -> str:
    notice = _visible_notice(notice_id)
    rows = status(session(), notice)
    titles = {m.name: m.display_name or m.name for m in notice_lists(session(), notice)}
    return render_template(
        "notices/dashboard.html",
        notice=notice,
        rows=rows,
        titles=titles,
        acked=sum(1 for r in rows if r.acknowledged_at),
    )


@bp.route("/<int:notice_id>/focal-points.csv")
def dashboard_csv(notice_id: int) -> Response:
    notice = _visible_notice(notice_id)
    out = io.StringIO()
    writer = csv.writer(out)
    settings: Settings = current_app.config["FORUM"]
    titles = {m.name: m.display_name or m.name for m in notice_lists(session(), notice)}
    how = {"link": _("by link"), "reply": _("by reply")}
    delivery = {
        "sent": _("delivered"),
        "queued": _("waiting to be sent"),
        "sending": _("being sent"),
        "deferred": _("will be retried"),
        "failed": _("failed"),
        "none": _("not sent"),
    }
    writer.writerow(
        [
            _("Group"),
            _("Unit"),
            _("Name"),
            _("Email address"),
            _("Acknowledged"),
            _("How"),
            _("Delivery"),
        ]  # fmt: skip
    )
    for r in status(session(), notice):
        acknowledged = (
            clock.local(r.acknowledged_at, settings.timezone) if r.acknowledged_at else None
        )
        row = [
            titles.get(r.list_name, r.list_name),
            r.unit,
            r.name,
            r.email,
            f"{acknowledged:%d/%m/%Y %H:%M}" if acknowledged else "",
            how.get(r.how, r.how),
            delivery.get(r.delivery, r.delivery),
        ]
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in row])
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="notice-{notice.id}.csv"'},
    )
