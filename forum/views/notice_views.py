"""Notices on the web: the one-click acknowledgement and the dashboard (with CSV)."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from sqlalchemy import select

from archive.models import MailingList
from forum.accounts import current_account
from forum.extensions import db, session
from forum.models import Notice, NoticeList
from forum.notices import acknowledge, read_ack_token, status
from forum.senders import is_moderator
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
        acknowledge(session(), notice, signed[1], "link")
        db.session.commit()
        done = True
    return render_template("notice_ack.html", notice=notice, email=signed[1], done=done)


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
    lists = (
        session()
        .scalars(
            select(MailingList)
            .join(NoticeList, NoticeList.list_id == MailingList.id)
            .where(NoticeList.notice_id == notice.id)
        )
        .all()
    )
    allowed = (
        account.is_admin
        or account.email.lower() == notice.sender_email.lower()
        or any(is_moderator(session(), m, account.email) for m in lists)
    )
    if not allowed:
        abort(403)
    return notice


@bp.route("/<int:notice_id>/")
def dashboard(notice_id: int) -> str:
    notice = _visible_notice(notice_id)
    rows = status(session(), notice)
    return render_template(
        "notice_dashboard.html",
        notice=notice,
        rows=rows,
        acked=sum(1 for r in rows if r.acknowledged_at),
    )


@bp.route("/<int:notice_id>/focal-points.csv")
def dashboard_csv(notice_id: int) -> Response:
    notice = _visible_notice(notice_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["group", "unit", "name", "email", "acknowledged_at", "how", "delivery"])
    for r in status(session(), notice):
        row = [
            r.list_name,
            r.unit,
            r.name,
            r.email,
            r.acknowledged_at.isoformat() if r.acknowledged_at else "",
            r.how,
            r.delivery,
        ]
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in row])
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="notice-{notice.id}.csv"'},
    )
