"""The owners' member pages (the list's owners and the site admin): list, search and filter,
add, edit and remove members, and bring them in and out as CSV (preview, then confirm)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from archive.models import MailingList
from forum.accounts.accounts import current_account
from forum.extensions import db, session
from forum.lists import roster as ma
from forum.lists.access import managing_role
from forum.lists.lists import find_list
from forum.lists.members import ROLES, on_list_domains
from forum.models import Member
from forum.settings import Settings

bp = Blueprint("members", __name__, url_prefix="/admin/lists/<name>/members")
PER_PAGE = 100
MAX_UPLOAD = 2 * 1024 * 1024  # bytes; about 30,000 members


def _settings() -> Settings:
    settings: Settings = current_app.config["FORUM"]
    return settings


def _list(name: str) -> MailingList:
    """The list named in the address, when the signed-in account owns it."""
    account = current_account()
    if account is None:
        abort(redirect(url_for("signin.request_link", next=request.path)))
    mlist = find_list(session(), name)
    if mlist is None:
        abort(404)
    if managing_role(session(), mlist, account) != "owner":
        abort(403)
    return mlist


def _member(mlist: MailingList, member_id: int) -> Member:
    member = ma.find_list_member(session(), mlist, member_id)
    if member is None:
        abort(404)
    return member


def _clean(field: str, limit: int) -> str:
    value = request.form.get(field, "")
    if "\r" in value or "\n" in value:
        abort(400)  # no header injection through a form field
    return unicodedata.normalize("NFC", value.strip())[:limit]


def _filters() -> dict[str, str]:
    """The list page's search and filters (known values only), kept in its links."""
    args = request.args
    chosen = {
        "q": args.get("q", "").strip()[:200],
        "role": _known(args.get("role", ""), ma.ROLE_FILTERS),
        "status": _known(args.get("status", ""), tuple(ma.STATUSES)),
        "min_bounce": _number(args.get("min_bounce", "").strip()[:20]),
    }
    return {key: value for key, value in chosen.items() if value}


def _known(value: str, allowed: tuple[str, ...]) -> str:
    return value if value in allowed else ""


def _number(value: str) -> str:
    try:
        return value if math.isfinite(float(value)) else ""
    except ValueError:
        return ""


def _back(mlist: MailingList) -> Response:
    return redirect(url_for("members.index", name=mlist.name))


@bp.route("/")
def index(name: str) -> str:
    return _members_page(_list(name))


def _members_page(mlist: MailingList, typed: Mapping[str, str] | None = None) -> str:
    """The list of members, and the add form (with what was typed when it was refused)."""
    filters = _filters()
    min_bounce = filters.get("min_bounce")
    query = ma.member_rows(
        session(),
        mlist,
        search=filters.get("q", ""),
        role=filters.get("role"),
        status=filters.get("status"),
        min_bounce=float(min_bounce) if min_bounce else None,
    )
    page = db.paginate(query, per_page=PER_PAGE, max_per_page=PER_PAGE)
    return render_template(
        "lists/members_list.html",
        mlist=mlist,
        page=page,
        filters=filters,
        roles=ROLES,
        role_filters=ma.ROLE_FILTERS,
        statuses=ma.STATUSES,
        delivery_modes=ma.DELIVERY_MODES,
        modes=ma.MODES,
        typed=typed or {},
    )


@bp.route("/add", methods=["POST"])
def add(name: str) -> Response | tuple[str, int]:
    mlist = _list(name)
    role = _clean("role", 20) + ("+focal" if request.form.get("focal") else "")
    checked = ma.check_member(
        0, _clean("email", 320), _clean("name", 250), _clean("unit", 300), role
    )
    mode = request.form.get("mode", "add")
    if mode not in ma.MODES:
        abort(400)
    if isinstance(checked, ma.RowError):
        flash(f"{checked.text}: {checked.reason}", "error")
        typed = {field: request.form.get(field, "") for field in ("email", "name", "unit")}
        return _members_page(mlist, typed), 400
    report = ma.import_members(session(), _settings(), mlist, ma.CsvPreview((checked,), ()), mode)
    db.session.commit()
    for email in on_list_domains(session(), [checked.email]):
        flash(list_domain_warning([email]), "error")
    if report.added:
        flash(_("%(email)s was added.", email=checked.email))
    elif report.invited:
        flash(_("%(email)s was asked to confirm.", email=checked.email))
    elif report.already:
        flash(_("%(email)s is already a member; nothing changed.", email=checked.email))
    else:
        flash(f"{checked.email}: {report.errors[0].reason}", "error")
    return _back(mlist)


@bp.route("/<int:member_id>", methods=["POST"])
def update(name: str, member_id: int) -> Response:
    mlist = _list(name)
    member = _member(mlist, member_id)
    try:
        ma.update_member(
            member,
            role=_clean("role", 20),
            focal=bool(request.form.get("focal")),
            unit=_clean("unit", 300),
            delivery_mode=_clean("delivery_mode", 20),
        )
    except ValueError:
        abort(400)
    db.session.commit()
    flash(_("%(email)s was updated.", email=member.address.email))
    return _back(mlist)


@bp.route("/<int:member_id>/remove", methods=["POST"])
def remove(name: str, member_id: int) -> Response:
    mlist = _list(name)
    member = _member(mlist, member_id)
    email = member.address.email
    ma.remove_member(session(), member)
    db.session.commit()
    flash(_("%(email)s was removed.", email=email))
    return _back(mlist)


@bp.route("/import", methods=["POST"])
def upload(name: str) -> str | Response:
    mlist = _list(name)
    sent = request.files.get("file")
    if sent is not None and sent.filename:
        data = sent.stream.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            abort(413)
        text = _decode(data)
    else:
        text = request.form.get("csv", "")[:MAX_UPLOAD]
    if not text.strip():
        flash(_("Choose a CSV file, or paste its lines."), "error")
        return _back(mlist)
    preview = ma.parse_member_csv(text)
    on_domain = on_list_domains(session(), [row.email for row in preview.rows])
    return render_template(
        "lists/members_import.html",
        mlist=mlist,
        preview=preview,
        csv_text=text,
        modes=ma.MODES,
        warning=list_domain_warning(on_domain) if on_domain else "",
    )


def list_domain_warning(emails: list[str]) -> str:
    text: str = _(
        "%(emails)s: on the lists' own domain, whose mail the mail server hands back to the "
        "forum, so these members would never receive mail. Lists want a domain (or a "
        "subdomain, such as lists.example.edu.vn) of their own.",
        emails=", ".join(emails),
    )
    return text


def _decode(data: bytes) -> str:
    """UTF-8 with or without BOM; else Excel's Vietnamese ANSI code page, as Excel saves."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text)  # cp1258 writes tone marks as combining marks


@bp.route("/import/confirm", methods=["POST"])
def confirm_import(name: str) -> str:
    mlist = _list(name)
    mode = request.form.get("mode", "")
    if mode not in ma.MODES:
        abort(400)
    # The text comes back from the preview page (CSRF-protected) and is checked again.
    preview = ma.parse_member_csv(request.form.get("csv", "")[:MAX_UPLOAD])
    report = ma.import_members(session(), _settings(), mlist, preview, mode)
    db.session.commit()
    return render_template("lists/members_import.html", mlist=mlist, report=report, mode=mode)


@bp.route("/export.csv")
def export(name: str) -> Response:
    mlist = _list(name)
    body = "\ufeff" + ma.export_members_csv(session(), mlist)  # the BOM tells Excel: UTF-8
    filename = re.sub(r"[^a-z0-9._-]", "_", mlist.name.lower()) or "list"
    return Response(
        body,
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="members-{filename}.csv"',
            "Cache-Control": "no-store",
        },
    )
