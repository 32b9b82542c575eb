"""Writing on the web: a new thread or a reply, previewed on the server, sent as mail."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.wrappers import Response

from archive.models import MailingList, Message
from archive.web_posts import render_markdown
from forum import clock
from forum.accounts.accounts import current_account
from forum.extensions import dmarc, session
from forum.lists.lists import aliases_of, find_list
from forum.lists.members import find_member
from forum.lists.senders import is_accepted
from forum.mail.compose import (
    MAX_ATTACHMENT_BYTES,
    Upload,
    reply_subject,
)
from forum.mail.routing import list_address
from forum.models import Account, InboundState
from forum.posting.webpost import WebPost, WebPostError, send_web_post
from forum.reading import archive as q
from forum.settings import Settings

bp = Blueprint("post", __name__, url_prefix="/lists/<name>")


def _member_or_redirect(name: str) -> tuple[MailingList, Account]:
    mlist = find_list(session(), name)
    if mlist is None:
        abort(404)
    account = current_account()
    if account is None:
        abort(
            Response(
                status=302, headers={"Location": url_for("signin.request_link", next=request.path)}
            )
        )
    if find_member(session(), mlist, account.email) is None:
        join = next(
            (a.address for a in aliases_of(session(), mlist)),
            list_address(mlist.name, mlist.domain, "join"),
        )
        message = _(
            "Only members of %(name)s can post here. To join, send any message to %(join)s.",
            name=mlist.display_name,
            join=join,
        )
        abort(Response(render_template("error.html", code=403, message=message), status=403))
    return mlist, account


@bp.route("/post", methods=["GET", "POST"])
def new_thread(name: str) -> str | Response:
    return _compose(name, None)


@bp.route("/message/<message_hash>/reply", methods=["GET", "POST"])
def reply(name: str, message_hash: str) -> str | Response:
    return _compose(name, message_hash)


def _compose(name: str, message_hash: str | None) -> str | Response:
    mlist, account = _member_or_redirect(name)
    parent = q.find_message(session(), mlist, message_hash) if message_hash else None
    if message_hash and parent is None:
        abort(404)
    subject = request.form.get("subject", reply_subject(parent.subject) if parent else "")
    text = request.form.get("text", "")
    if request.method == "GET" or request.form.get("action") == "preview":
        preview = Markup(render_markdown(text)) if text else None  # noqa: S704 - sanitised
        return _compose_page(mlist, account, parent, subject, text, preview)
    uploads = [
        Upload(
            f.filename or "attachment",
            f.mimetype or "application/octet-stream",
            f.read(MAX_ATTACHMENT_BYTES + 1),
        )
        for f in request.files.getlist("attachments")
        if f and f.filename
    ]
    day = clock.parse_day(request.form.get("deadline", ""))  # dd/mm/yyyy as typed, or ISO
    form = WebPost(
        subject, text, uploads, request.form.get("notice", ""), day.isoformat() if day else ""
    )
    name_shown = account.display_name or account.email.split("@")[0]
    try:
        state = send_web_post(
            session(), _settings(), mlist, (name_shown, account.email), form, parent, dmarc()
        )
    except WebPostError as error:
        flash(str(error), "error")
        return _compose_page(mlist, account, parent, subject, text, None), 400  # type: ignore[return-value]
    except ValueError:
        abort(400)
    flash(
        _("Sent. Members receive it by email.")
        if state == InboundState.DONE
        else _("Your message is waiting for a moderator."),
        "status",
    )
    target = parent.thread_id if parent else _thread_of_latest(mlist, account.email)
    if target is None:
        return redirect(url_for("archive.list_page", name=mlist.name))
    return redirect(url_for("archive.thread_page", name=mlist.name, thread_id=target))


def _settings() -> Settings:
    settings: Settings = current_app.config["FORUM"]
    return settings


def _compose_page(
    mlist: MailingList,
    account: Account,
    parent: Message | None,
    subject: str,
    text: str,
    preview: Markup | None,
) -> str:
    return render_template(
        "posting/compose.html",
        mlist=mlist,
        parent=parent,
        subject=subject,
        text=text,
        preview=preview,
        had_attachments=any(f.filename for f in request.files.getlist("attachments")),
        can_notify=is_accepted(session(), mlist, account.email),
        notice=request.form.get("notice", ""),
        deadline=request.form.get("deadline", ""),
    )


def _thread_of_latest(mlist: MailingList, email: str) -> int | None:
    from sqlalchemy import select

    return session().scalar(
        select(Message.thread_id)
        .where(Message.list_id == mlist.id, Message.sender_email == email.lower())
        .order_by(Message.id.desc())
        .limit(1)
    )
