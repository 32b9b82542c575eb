"""Draft regulations on the web: create and publish, read with comments, comment, respond."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import aliased
from werkzeug.wrappers import Response

from archive.models import MailingList
from forum import clock
from forum.accounts.accounts import current_account
from forum.drafting import service as drafts
from forum.drafting.docx_input import DocxTooLarge, NotADocx, typed_text, upload_to_text
from forum.drafting.front_matter import front_matter
from forum.drafting.models import DraftComment, DraftDocument, DraftTarget
from forum.drafting.report import ReportHeader, ReportRow, summarise
from forum.drafting.report import report_csv as build_csv
from forum.extensions import db, dmarc, session
from forum.lists.access import can_read_any, readable_list_ids
from forum.lists.members import find_member
from forum.lists.senders import is_moderator
from forum.models import Account
from forum.posting.pipeline import process_submitted
from forum.settings import Settings
from forum.views.redirects import local_target

bp = Blueprint("drafts", __name__, url_prefix="/drafts")
RESPONSES = ("accepted", "partly", "explained")


def _settings() -> Settings:
    settings: Settings = current_app.config["FORUM"]
    return settings


def _signed_in() -> Account:
    account = current_account()
    if account is None:
        abort(
            Response(
                status=302, headers={"Location": url_for("signin.request_link", next=request.path)}
            )
        )
    return account


def _owned_lists(account: Account) -> list[MailingList]:
    lists = session().scalars(select(MailingList).order_by(MailingList.name)).all()
    return [m for m in lists if account.is_admin or is_moderator(session(), m, account.email)]


def _targets(draft: DraftDocument) -> list[MailingList]:
    return list(
        session().scalars(
            select(MailingList)
            .join(DraftTarget, DraftTarget.list_id == MailingList.id)
            .where(DraftTarget.draft_id == draft.id)
        )
    )


def _can_manage(draft: DraftDocument, account: Account | None) -> bool:
    if account is None:
        return False
    return account.is_admin or any(
        is_moderator(session(), m, account.email) for m in _targets(draft)
    )


def _draft_or_404(draft_id: int) -> DraftDocument:
    """A draft follows its target lists' privacy: readable by whoever may read one of them
    (a private list's draft is not even said to exist); unpublished, by its managers."""
    draft = session().get(DraftDocument, draft_id)
    account = current_account()
    if draft is None or not (
        _can_manage(draft, account)
        or (draft.state != "draft" and can_read_any(session(), _targets(draft), account))
    ):
        abort(404)
    return draft


@bp.route("/")
def index() -> str:
    """Every published draft the reader may read, or one group's with `?list=NAME`."""
    account = current_account()
    query = select(DraftDocument).where(DraftDocument.state != "draft")
    readable = readable_list_ids(session(), account)
    if readable is not None:
        target = aliased(DraftTarget)  # the ?list= filter joins DraftTarget too
        to_readable = select(target.id).where(
            target.draft_id == DraftDocument.id, target.list_id.in_(readable)
        )
        query = query.where(to_readable.exists())
    group = request.args.get("list", "")
    if group:
        query = (
            query.join(DraftTarget, DraftTarget.draft_id == DraftDocument.id)
            .join(MailingList, MailingList.id == DraftTarget.list_id)
            .where(MailingList.name == group)
        )
    found = session().scalars(query.order_by(DraftDocument.id.desc())).all()
    can_publish = account is None or bool(_owned_lists(account))  # strangers may be owners
    return render_template(
        "drafting/drafts.html", drafts=found, group=group, can_publish=can_publish
    )


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response:
    account = _signed_in()
    lists = _owned_lists(account)
    if not lists:
        abort(403)
    if request.method == "GET":
        return render_template("drafting/draft_new.html", lists=lists, form=request.form, text="")
    text = typed_text(request.form.get("text", ""))
    upload = request.files.get("file")
    if upload and upload.filename:
        uploaded, refusal = _upload_text(upload.filename, upload.read(20 * 1024 * 1024))
        if refusal:
            flash(refusal, "error")
            page = render_template(
                "drafting/draft_new.html", lists=lists, form=request.form, text=text
            )
            return page, 400  # type: ignore[return-value]
        text = uploaded
    deadline = _deadline(request.form.get("deadline", ""))
    chosen = [m for m in lists if str(m.id) in request.form.getlist("lists")]
    title = request.form.get("title", "").replace("\r", " ").replace("\n", " ")
    unit = request.form.get("unit", "").replace("\r", " ").replace("\n", " ")[:255]
    refusal = _refusal(deadline)
    if refusal:
        flash(refusal, "error")
        page = render_template("drafting/draft_new.html", lists=lists, form=request.form, text=text)
        return page, 400  # type: ignore[return-value]
    try:
        draft = drafts.create(session(), title, unit, deadline, text, account.email)
        sender = (unit or account.display_name, account.email)
        submitted = drafts.publish(session(), _settings(), draft, chosen, sender)
    except drafts.DraftError as error:
        db.session.rollback()
        flash(str(error), "error")
        page = render_template("drafting/draft_new.html", lists=lists, form=request.form, text=text)
        return page, 400  # type: ignore[return-value]
    process_submitted(session(), _settings(), submitted, dmarc())
    flash(
        _("Published: the announcement is on its way to %(n)d group(s).", n=len(chosen)),
        "status",
    )
    return redirect(url_for("drafts.show", draft_id=draft.id))


def _upload_text(filename: str, data: bytes) -> tuple[str, str]:
    """The text of an uploaded draft, or "" and why it cannot be read."""
    try:
        return upload_to_text(filename, data), ""
    except NotADocx:
        return "", str(_("This file is not a Word document (.docx)."))
    except DocxTooLarge as error:
        return "", str(_("This document is too large to read (%(reason)s).", reason=error.reason))


def _refusal(deadline: datetime | None) -> str:
    """Why a new draft cannot be published as it is, or ""."""
    if deadline is None:
        return str(_("Choose the comment deadline."))
    if deadline <= datetime.now(UTC):
        return str(_("The comment deadline has already passed."))
    return ""


def _deadline(value: str) -> datetime | None:
    """The end of the chosen day (typed `dd/mm/yyyy`, or ISO), the site's local time."""
    day = clock.parse_day(value)
    return clock.end_of_day(day, _settings().timezone) if day else None


@bp.route("/<int:draft_id>/")
def show(draft_id: int) -> str:
    draft = _draft_or_404(draft_id)
    structure = drafts.parsed(draft)
    account = current_account()
    can_manage = _can_manage(draft, account)
    readable = None if can_manage else readable_list_ids(session(), account)
    visible = drafts.visible_comments(session(), draft, readable)
    counts = drafts.counts_by_anchor(visible)
    comments: dict[str, list[DraftComment]] = {}
    for _label, comment in visible:
        comments.setdefault(comment.anchor or "", []).append(comment)
    return render_template(
        "drafting/draft.html",
        draft=draft,
        structure=structure,
        front=front_matter(structure.front),
        opened={"" if a == "chung" else a for a in request.args.getlist("open")},
        nodes=drafts.nodes_in_order(structure),
        labels=drafts.labels(structure),
        comments=comments,
        counts=counts,
        totals=drafts.totals_by_anchor(structure, counts),
        can_manage=can_manage,
        can_comment=account is not None and _comment_list(draft, account) is not None,
        responses=RESPONSES,
    )


def _comment_list(draft: DraftDocument, account: Account) -> MailingList | None:
    return next((m for m in _targets(draft) if find_member(session(), m, account.email)), None)


@bp.route("/<int:draft_id>/comment", methods=["POST"])
def comment(draft_id: int) -> Response:
    draft = _draft_or_404(draft_id)
    account = _signed_in()
    mlist = _comment_list(draft, account)
    text = request.form.get("text", "").strip()
    anchor = request.form.get("anchor") or None
    if mlist is None or draft.state != "published":
        abort(403)
    if not text:
        flash(_("Write your comment first."), "error")
        return redirect(_at(draft, anchor))
    author = (account.display_name or account.email, account.email)
    submitted = drafts.comment_from_web(session(), _settings(), draft, mlist, author, anchor, text)
    process_submitted(session(), _settings(), submitted, dmarc())
    flash(_("Thank you: your comment is recorded and sent to the group."), "status")
    return redirect(_at(draft, anchor))


def _at(draft: DraftDocument, anchor: str | None) -> str:
    """The draft's page at a provision; an anchor from the form that is not a plain
    fragment gives the page itself."""
    page = url_for("drafts.show", draft_id=draft.id)
    if not anchor:
        return page
    opened = url_for("drafts.show", draft_id=draft.id, open=anchor)  # its comments unfolded
    return local_target(f"{opened}#{anchor}", page)


@bp.route("/<int:draft_id>/respond/<int:comment_id>", methods=["POST"])
def respond(draft_id: int, comment_id: int) -> Response:
    draft = _draft_or_404(draft_id)
    account = current_account()
    if not _can_manage(draft, account):
        abort(403)
    found = session().get(DraftComment, comment_id)
    if found is None or found.draft_id != draft.id:
        abort(404)
    kind = request.form.get("kind", "")
    response = request.form.get("response", "").strip()[:5000]
    if kind not in RESPONSES and response:
        flash(_("Choose accepted, partly accepted or explained for this response."), "error")
        return redirect(_at_comment(draft, found))
    found.response_kind = kind if kind in RESPONSES else ""
    found.response = response
    found.responded_by = account.email if account else ""
    db.session.commit()
    flash(_("Response saved.") if found.response_kind else _("Response cleared."), "status")
    return redirect(_at_comment(draft, found))


def _at_comment(draft: DraftDocument, found: DraftComment) -> str:
    """The draft's page at a comment, its provision's comments unfolded."""
    page = url_for("drafts.show", draft_id=draft.id, open=found.anchor or "chung")
    return f"{page}#c{found.id}"


@bp.route("/<int:draft_id>/state", methods=["POST"])
def change_state(draft_id: int) -> Response:
    draft = _draft_or_404(draft_id)
    if not _can_manage(draft, current_account()):
        abort(403)
    action = request.form.get("action")
    deadline = _deadline(request.form.get("deadline", ""))
    if action == "close":
        draft.state = "closed"
        flash(_("Comments are closed. You can open them again or extend the deadline."), "status")
    elif action == "reopen":
        draft.state = "published"
        flash(_("Comments are open again."), "status")
    elif action == "extend" and deadline is None:
        flash(_("Choose the new deadline."), "error")
    elif action == "extend" and deadline is not None and deadline <= datetime.now(UTC):
        flash(_("The new deadline has already passed."), "error")
    elif action == "extend" and deadline is not None:
        draft.deadline, draft.state = deadline, "published"
        flash(_("The deadline is extended."), "status")
    db.session.commit()
    return redirect(url_for("drafts.show", draft_id=draft.id))


def _report_rows(draft: DraftDocument) -> list[ReportRow]:
    return [
        ReportRow(
            number=n,
            provision=label,
            anchor=c.anchor,
            commenter=c.author_name or c.author_email,
            unit=c.unit,
            date=c.created_at,
            comment=c.text,
            response_kind=c.response_kind,
            response=c.response,
            late=c.late,
        )
        for n, (label, c) in enumerate(drafts.comments_in_order(session(), draft), 1)
    ]


def _managed(draft_id: int) -> DraftDocument:
    draft = _draft_or_404(draft_id)
    if not _can_manage(draft, current_account()):
        abort(403)
    return draft


def _header(draft: DraftDocument) -> ReportHeader:
    return ReportHeader(draft.title, draft.issuing_unit, draft.deadline, datetime.now(UTC))


@bp.route("/<int:draft_id>/report")
def report(draft_id: int) -> str:
    draft = _managed(draft_id)
    rows = _report_rows(draft)
    return render_template(
        "drafting/draft_report.html", draft=draft, rows=rows, summary=summarise(rows)
    )


@bp.route("/<int:draft_id>/report.docx")
def report_docx(draft_id: int) -> Response:
    from forum.drafting.report_docx import report_docx as build_docx  # (with python-docx)

    draft = _managed(draft_id)
    data = build_docx(_header(draft), _report_rows(draft), clock.zone(_settings().timezone))
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f'attachment; filename="gop-y-{draft.reference}.docx"'},
    )


@bp.route("/<int:draft_id>/report.csv")
def report_csv(draft_id: int) -> Response:
    draft = _managed(draft_id)
    return Response(
        build_csv(_report_rows(draft), clock.zone(_settings().timezone)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="gop-y-{draft.reference}.csv"'},
    )
