"""Member administration for a list's owners: find, filter and edit members, and bring them in
and out as CSV (check every row first, then import; export for spreadsheets)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, contains_eager

from archive.folding import fold
from archive.models import Address, MailingList
from forum.lists.members import ROLES, add_member, member_addresses
from forum.models import Member
from forum.settings import Settings

with warnings.catch_warnings():
    # flanker imports the stdlib imghdr and cgi modules, deprecated since Python 3.11.
    warnings.filterwarnings("ignore", r"'(imghdr|cgi)' is deprecated", DeprecationWarning)
    from flanker.addresslib import address

MODES = ("add", "welcome", "invite")  # add silently, add and welcome, or ask them to confirm
DELIVERY_MODES = ("all", "topics", "digest", "none")
ROLE_FILTERS = (*ROLES, "focal")
EXPORT_COLUMNS = ("email", "name", "unit", "role", "delivery_mode", "bounce_score", "joined_at")
MAX_NAME, MAX_UNIT = 200, 255
_POSITIONS = {"email": 0, "name": 1, "unit": 2, "role": 3}
_HEADERS = {
    **dict.fromkeys(("email", "e-mail", "mail", "địa chỉ email", "thư điện tử"), "email"),
    **dict.fromkeys(("name", "display name", "họ tên", "họ và tên", "tên"), "name"),
    **dict.fromkeys(("unit", "đơn vị"), "unit"),
    **dict.fromkeys(("role", "vai trò"), "role"),
}
_ROLE_WORDS = {
    **dict.fromkeys(("member", "thành viên"), "member"),
    **dict.fromkeys(("moderator", "người điều hành"), "moderator"),
    **dict.fromkeys(("owner", "chủ nhóm"), "owner"),
    **dict.fromkeys(("focal", "focal point", "đầu mối"), "focal"),
}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # spreadsheets run cells that start with these
STATUSES: dict[str, tuple[ColumnElement[bool], ...]] = {  # filter name -> conditions
    "active": (Member.delivery_enabled.is_(True), Member.delivery_mode == "all"),
    "disabled": (Member.delivery_enabled.is_(False),),  # after too many bounces
    "digest": (Member.delivery_mode == "digest",),
    "nomail": (Member.delivery_mode == "none",),
}
_BREAKS = re.compile(r"[\r\n\x00]")  # a name or unit ends up in mail headers
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_PROBLEMS: dict[str, Callable[[RowError], str]] = {
    "no_email": lambda e: _("No email address."),
    "bad_address": lambda e: _("Not a valid email address."),
    "bad_role": lambda e: _("Unknown role (use member, moderator, owner or focal)."),
    "bad_text": lambda e: _("Name or unit is too long or has a line break."),
    "duplicate": lambda e: _("Already on line %(line)d.", line=e.first_line),
    "unreadable": lambda e: _("This line cannot be read as CSV."),
    "not_invited": lambda e: _("No invitation sent: one was sent less than an hour ago."),
}


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One member to add, checked and normalised."""

    line: int
    email: str
    name: str = ""
    unit: str = ""
    role: str = "member"
    focal: bool = False


@dataclass(frozen=True, slots=True)
class RowError:
    """Why a line of the file (or a form) was refused; `text` is the value as written."""

    line: int
    text: str
    code: str
    first_line: int = 0  # for duplicates: where the address appeared first

    @property
    def reason(self) -> str:
        return _PROBLEMS[self.code](self)  # translated when shown, in the reader's language


@dataclass(frozen=True, slots=True)
class CsvPreview:
    rows: tuple[CsvRow, ...]
    errors: tuple[RowError, ...]


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    already: int
    invited: int
    errors: tuple[RowError, ...]


def member_rows(
    session: Session,
    mlist: MailingList,
    *,
    search: str = "",
    role: str | None = None,
    status: str | None = None,
    min_bounce: float | None = None,
) -> Select[Member]:
    """The list's members by address, narrowed by the admin's search and filters."""
    query = select(Member).join(Member.address).options(contains_eager(Member.address))
    query = query.where(Member.list_id == mlist.id, *STATUSES.get(status or "", ()))
    if term := search.strip():
        query = query.where(Member.id.in_(_matching(session, mlist, term)))
    if role == "focal":
        query = query.where(Member.is_focal_point.is_(True))
    elif role in ROLES:
        query = query.where(Member.role == role)
    if min_bounce is not None:
        query = query.where(Member.bounce_score >= min_bounce)
    return query.order_by(Address.email)


def _matching(session: Session, mlist: MailingList, term: str) -> list[int]:
    """Members whose address, name or unit contains the term, with or without diacritics and
    in any case (`le loi` finds Lê Lợi; SQL's LIKE folds ASCII case only)."""
    wanted = fold(term)
    rows = session.execute(
        select(Member.id, Address.email, Address.display_name, Member.unit)
        .join(Address, Address.id == Member.address_id)
        .where(Member.list_id == mlist.id)
    )
    return [pk for pk, *fields in rows if wanted in fold(" ".join(f or "" for f in fields))]


def normalise_address(text: str) -> str | None:
    """The address with its domain lowercased (Unicode, NFC), or None when it cannot be mailed."""
    text = unicodedata.normalize("NFC", text.strip())
    if not text or len(text) > 254 or text.count("@") != 1 or any(c.isspace() for c in text):
        return None
    parsed = address.parse(text, addr_spec_only=True, strict=True)
    if not isinstance(parsed, address.EmailAddress):
        return None
    local, _at, domain = str(parsed.address).rpartition("@")
    try:  # flanker lets through IP literals, single labels and labels with edge hyphens
        labels = domain.encode("idna").decode("ascii").lower().split(".")
    except UnicodeError:
        return None
    if len(labels) < 2 or labels[-1].isdigit() or not all(map(_LABEL.match, labels)):
        return None
    return None if len(local) > 64 or local.startswith('"') else f"{local}@{domain.lower()}"


def parse_role(text: str) -> tuple[str, bool] | None:
    """(role, focal point?) from "owner", "focal", "moderator+focal"...; None if unknown."""
    words = [_ROLE_WORDS.get(_fold(w)) for w in re.split(r"[+/]", text)] if text.strip() else []
    ranks = {w for w in words if w != "focal"}
    if None in ranks or len(ranks) > 1:
        return None
    return str(ranks.pop()) if ranks else "member", "focal" in words


def role_text(member: Member) -> str:
    """The role as written in CSV files: parse_role's inverse."""
    if not member.is_focal_point:
        return member.role
    return "focal" if member.role == "member" else f"{member.role}+focal"


def check_member(line: int, email: str, name: str, unit: str, role: str) -> CsvRow | RowError:
    """One member as typed in a file or a form, checked."""
    if not email:
        return RowError(line, ", ".join(v for v in (name, unit, role) if v), "no_email")
    normal = normalise_address(email)
    if normal is None:
        return RowError(line, email, "bad_address")
    parsed = parse_role(role)
    if parsed is None:
        return RowError(line, role, "bad_role")
    if len(name) > MAX_NAME or len(unit) > MAX_UNIT or _BREAKS.search(name + unit):
        return RowError(line, email, "bad_text")
    return CsvRow(line, normal, name, unit, *parsed)


def parse_member_csv(text: str) -> CsvPreview:
    """Check every row of `text` (columns email,name,unit,role; header row optional)."""
    text = text.removeprefix("\ufeff").replace("\x00", "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[CsvRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}  # folded address -> first line
    columns: dict[str, int] | None = None
    line = 1
    try:
        for cells in reader:
            line, start = reader.line_num + 1, line  # a quoted cell may span lines
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None and (columns := _header(cells)):
                continue
            checked = _check_cells(start, cells, columns or _POSITIONS)
            if isinstance(checked, CsvRow):
                first = seen.setdefault(checked.email.casefold(), start)
                if first == start:
                    rows.append(checked)
                    continue
                checked = RowError(start, checked.email, "duplicate", first)
            errors.append(checked)
    except csv.Error:
        errors.append(RowError(line, "", "unreadable"))
    return CsvPreview(tuple(rows), tuple(errors))


def _check_cells(line: int, cells: list[str], columns: dict[str, int]) -> CsvRow | RowError:
    value = {key: _unescape(cells[i].strip()) for key, i in columns.items() if i < len(cells)}
    return check_member(line, *(value.get(key, "") for key in ("email", "name", "unit", "role")))


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first.count(";") > first.count(",") else ","


def _header(cells: list[str]) -> dict[str, int]:
    """Column positions when `cells` is a header row (no address, a known column name)."""
    if any("@" in cell for cell in cells):
        return {}
    names = [_HEADERS.get(_fold(cell)) for cell in cells]
    return {name: i for i, name in reversed(list(enumerate(names))) if name}  # first wins


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _unescape(cell: str) -> str:
    """Undo export's formula escaping, so an exported file imports as it was."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in _FORMULA else cell


def import_members(
    session: Session, settings: Settings, mlist: MailingList, preview: CsvPreview, mode: str
) -> ImportReport:
    """Add (`add`), add and welcome (`welcome`), or invite (`invite`) the preview's rows;
    members already there are left as they are."""
    from forum.lists import subscriptions as membership  # the mail side, when needed

    if mode not in MODES:
        raise ValueError(f"unknown import mode: {mode!r}")
    present = {email.casefold() for email in member_addresses(session, mlist)}
    added = already = invited = 0
    errors = list(preview.errors)
    for row in preview.rows:
        if row.email.casefold() in present:
            already += 1  # checked first: start_join would mail an existing member a note
        elif mode == "invite":
            outcome = membership.start_join(session, settings, mlist, row.email, row.name)
            if "sent" in outcome:
                invited += 1
            elif "already" in outcome:
                already += 1
            else:
                errors.append(RowError(row.line, row.email, "not_invited"))
        else:
            member, created = add_member(session, mlist, row.email, row.name, row.role)
            if created:
                member.is_focal_point, member.unit = row.focal, row.unit
                if mode == "welcome":
                    membership.send_welcome(session, settings, mlist, member)
            added, already = added + created, already + (not created)
    return ImportReport(added, already, invited, tuple(errors))


def export_members_csv(session: Session, mlist: MailingList) -> str:
    """Every member as CSV that parse_member_csv reads back (formula cells escaped)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for m in session.scalars(member_rows(session, mlist)):
        cells = (m.address.email, m.address.display_name, m.unit, role_text(m), m.delivery_mode)
        joined = m.joined_at.date().isoformat()
        safe = [f"'{cell}" if cell.startswith(_FORMULA) else cell for cell in cells]
        writer.writerow([*safe, f"{m.bounce_score:g}", joined])
    return out.getvalue()


def find_list_member(session: Session, mlist: MailingList, member_id: int) -> Member | None:
    found = session.get(Member, member_id)
    return found if found is not None and found.list_id == mlist.id else None


def update_member(member: Member, *, role: str, focal: bool, unit: str, delivery_mode: str) -> None:
    """Change what an owner may change; ValueError (nothing changed) on a bad value."""
    if role not in ROLES or delivery_mode not in DELIVERY_MODES or len(unit) > MAX_UNIT:
        raise ValueError(f"bad role, delivery mode or unit: {role!r}, {delivery_mode!r}")
    if _BREAKS.search(unit):
        raise ValueError("a unit may not contain a line break")
    member.role, member.is_focal_point = role, focal
    member.unit, member.delivery_mode = unit.strip(), delivery_mode


def remove_member(session: Session, member: Member) -> None:
    """Remove without mail: the owner decided, the member did not ask."""
    session.delete(member)
    session.flush()
