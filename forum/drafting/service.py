"""Draft regulations: publish to groups, collect comments from replies, answer them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import MailingList, Message
from archive.parsed import ParsedMessage
from forum import clock
from forum.drafting.models import DraftComment, DraftDocument, DraftTarget
from forum.drafting.provisions import extract_comments
from forum.drafting.structure import Draft, Node, outline, parse_draft, walk
from forum.lists.members import find_member
from forum.mail.compose import build_web_post
from forum.mail.header_folding import OUTGOING, text_encoding
from forum.mail.inbound import Submitted, submit
from forum.settings import Settings

KIND_WORDS = {
    "part": "Phần",
    "chapter": "Chương",
    "section": "Mục",
    "subsection": "Tiểu mục",
    "article": "Điều",
    "clause": "Khoản",
    "point": "Điểm",
    "appendix": "Phụ lục",
    "preamble": "Phần mở đầu",
}
GENERAL = "Góp ý chung"


class DraftError(ValueError):
    """A draft that cannot be published as given."""


def parsed(draft: DraftDocument) -> Draft:
    return parse_draft(draft.text)


def create(
    session: Session, title: str, unit: str, deadline: datetime | None, text: str, by: str
) -> DraftDocument:
    structure = parse_draft(text)
    if not any(node.kind == "article" for node in walk(structure)):
        raise DraftError(_l("No article (Điều) was found in the text."))
    if not (title.strip() or structure.title):
        raise DraftError(_l("Give the draft a title."))
    draft = DraftDocument(
        title=title.strip() or structure.title,
        issuing_unit=unit,
        deadline=deadline,
        text=text,
        created_by=by,
    )
    session.add(draft)
    session.flush()
    return draft


def labels(structure: Draft) -> dict[str, str]:
    """anchor -> "Điểm a khoản 2 Điều 5", cited as Vietnamese legal texts cite, in document
    order."""
    found: dict[str, str] = {}
    path: list[str] = []
    for entry in outline(structure):
        del path[entry.depth :]
        path.append(f"{KIND_WORDS.get(entry.kind, entry.kind)} {entry.number}".strip())
        kept = [
            p
            for p in path
            if not p.startswith(("Phần", "Chương", "Mục", "Tiểu mục")) or len(path) == 1
        ]
        found[entry.anchor] = _cited(list(reversed(kept)))
    return found


def _cited(parts: list[str]) -> str:
    """Innermost first, `khoản` and `điểm` in lower case after the first word."""
    words = [
        p if i == 0 or p.startswith("Điều") else p[:1].lower() + p[1:] for i, p in enumerate(parts)
    ]
    return " ".join(words)


def in_sentence(label: str) -> str:
    """A label inside a sentence: "Góp ý khoản 2 Điều 5"."""
    return (
        label
        if label.startswith(("Điều", "Chương", "Phần", "Mục"))
        else label[:1].lower() + label[1:]
    )


def announcement(
    settings: Settings, draft: DraftDocument, lists: Sequence[MailingList], sender: tuple[str, str]
) -> bytes:
    structure = parsed(draft)
    deadline = (
        f"{clock.local(draft.deadline, settings.timezone):%d/%m/%Y}" if draft.deadline else ""
    )
    lines = [
        f"{'  ' * e.depth}{KIND_WORDS.get(e.kind, e.kind)} {e.number}. {e.title}".rstrip(". ")
        for e in outline(structure)
    ]
    body = (
        "Kính gửi các thành viên,\n\n"
        f"{draft.issuing_unit or settings.site_name} xin ý kiến góp ý dự thảo "
        f'"{draft.title}" ({draft.reference}). Hạn góp ý: {deadline or "không quy định"}.\n\n'
        'Cách góp ý: trả lời thư này; ghi rõ điều, khoản, điểm (ví dụ "Góp ý khoản 2 Điều 5: ...") '
        "hoặc trích dẫn đoạn văn bản và viết ý kiến ngay bên dưới. Có thể góp ý trên web: "
        f"{settings.base_url}/drafts/{draft.id}/\n\n"
        f"(Comments on this draft: reply to this message naming the article, or quote it.)\n\n"
        "Bố cục dự thảo:\n" + "\n".join(lines) + "\n\n---\n\n" + draft.text.strip() + "\n"
    )
    message = EmailMessage(policy=OUTGOING)
    message["From"] = formataddr(sender)
    message["To"] = ", ".join(m.posting_address for m in lists)
    until = f" - góp ý trước {deadline}" if deadline else ""  # no deadline: no dangling dash
    message["Subject"] = f"[Dự thảo {draft.reference}] {draft.title}{until}"
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.domain)
    message.set_content(body, charset="utf-8", cte=text_encoding(body))
    return message.as_bytes()


def publish(
    session: Session,
    settings: Settings,
    draft: DraftDocument,
    lists: Sequence[MailingList],
    sender: tuple[str, str],
) -> Submitted:
    """One announcement to every target group (archived in each, one copy per person),
    queued approved and claimed, with the draft's new state, in one commit: the caller
    processes it at once, or a worker does if the caller stops."""
    if not lists:
        raise DraftError(_l("Choose at least one group."))
    raw = announcement(settings, draft, lists, sender)
    message_id = str(message_from_bytes(raw)["Message-ID"]).strip().strip("<>")
    for mlist in lists:
        session.add(DraftTarget(draft_id=draft.id, list_id=mlist.id, message_id=message_id))
    draft.state, draft.published_at = "published", utcnow()
    addresses = [m.posting_address for m in lists]
    return submit(session, raw, sender[1], addresses, approved_by=sender[1] or "drafting")


def draft_replied_to(session: Session, ids: Sequence[str], subject: str) -> DraftDocument | None:
    """The draft a message answers: by its threading headers, or by `DT-N` in the subject."""
    if ids:
        target = session.scalar(select(DraftTarget).where(DraftTarget.message_id.in_(list(ids))))
        if target is not None:
            return session.get(DraftDocument, target.draft_id)
    found = _REFERENCE.search(subject)
    return session.get(DraftDocument, int(found.group(1))) if found else None


_REFERENCE = re.compile(r"\[Dự thảo DT-(\d+)\]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Author:
    email: str
    name: str
    unit: str


def author_of(session: Session, draft: DraftDocument, email: str, name: str) -> Author:
    unit = ""
    for target in session.scalars(select(DraftTarget).where(DraftTarget.draft_id == draft.id)):
        mlist = session.get(MailingList, target.list_id)
        member = find_member(session, mlist, email) if mlist else None
        if member is not None and member.unit:
            unit = member.unit
            break
    return Author(email.lower(), name, unit)


def record_comments(
    session: Session, draft: DraftDocument, author: Author, text: str, message_id: str
) -> list[DraftComment]:
    """The comments in a reply, each tied to the provision it names or quotes."""
    if draft.state != "published":
        return []
    late = draft.deadline is not None and utcnow() > draft.deadline
    saved = []
    for comment in extract_comments(text, parsed(draft)):
        row = DraftComment(
            draft_id=draft.id,
            anchor=comment.anchor,
            text=comment.text,
            author_email=author.email,
            author_name=author.name,
            unit=author.unit,
            message_id=message_id,
            how=comment.how,
            late=late,
        )
        session.add(row)
        saved.append(row)
    session.flush()
    return saved


def comments_in_order(session: Session, draft: DraftDocument) -> list[tuple[str, DraftComment]]:
    """(provision label, comment) by provision in document order, general comments last."""
    structure = parsed(draft)
    order = {node.anchor: n for n, node in enumerate(walk(structure))}
    names = labels(structure)
    rows = session.scalars(select(DraftComment).where(DraftComment.draft_id == draft.id)).all()
    rows = sorted(rows, key=lambda c: (order.get(c.anchor or "", len(order)), c.created_at, c.id))
    return [(names.get(c.anchor or "", GENERAL), c) for c in rows]


def visible_comments(
    session: Session, draft: DraftDocument, list_ids: frozenset[int] | None
) -> list[tuple[str, DraftComment]]:
    """comments_in_order less those that came only through lists outside `list_ids` (None:
    every list): a comment made on a private list stays with that list's readers. A comment
    whose message is not archived counts as made on every target list."""
    rows = comments_in_order(session, draft)
    if list_ids is None:
        return rows
    to_draft = select(DraftTarget.list_id).where(DraftTarget.draft_id == draft.id)
    targets = frozenset(session.scalars(to_draft))
    came_through: dict[str, set[int]] = {}
    ids = {c.message_id for _label, c in rows if c.message_id}
    found = select(Message.message_id, Message.list_id).where(Message.message_id.in_(ids))
    for message_id, list_id in session.execute(found):
        came_through.setdefault(message_id, set()).add(list_id)

    def readable(comment: DraftComment) -> bool:
        lists = came_through.get(comment.message_id)
        return bool(lists & list_ids) if lists else targets <= list_ids

    return [(label, c) for label, c in rows if readable(c)]


def counts_by_anchor(comments: Sequence[tuple[str, DraftComment]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for _label, comment in comments:
        found[comment.anchor or ""] = found.get(comment.anchor or "", 0) + 1
    return found


def totals_by_anchor(structure: Draft, counts: dict[str, int]) -> dict[str, int]:
    """Each provision's comments together with those on the provisions inside it (an
    article counts the comments on its clauses and points)."""
    totals: dict[str, int] = {}

    def total(node: Node) -> int:  # at most 8 levels deep
        found = counts.get(node.anchor, 0) + sum(total(child) for child in node.children)
        totals[node.anchor] = found
        return found

    for node in structure.nodes:
        total(node)
    return totals


def nodes_in_order(structure: Draft) -> list[tuple[Node, int]]:
    depth_of = {e.anchor: e.depth for e in outline(structure)}
    return [(node, depth_of.get(node.anchor, 0)) for node in walk(structure)]


def comments_from_reply(session: Session, parsed_reply: ParsedMessage) -> str:
    """A reply to a draft's announcement also becomes comments on its provisions (once per
    Message-ID, however many groups it went to); returns a note for the log."""
    replied = [i for i in (parsed_reply.in_reply_to, *parsed_reply.references) if i]
    draft = draft_replied_to(session, replied, parsed_reply.subject)
    if draft is None or not parsed_reply.from_email:
        return ""
    exists = session.scalar(
        select(DraftComment.id).where(DraftComment.message_id == parsed_reply.message_id)
    )
    announcement = session.scalar(
        select(DraftTarget.id).where(DraftTarget.message_id == parsed_reply.message_id)
    )
    if exists is not None or announcement is not None:  # counted once; never the draft itself
        return ""
    author = author_of(session, draft, parsed_reply.from_email, parsed_reply.from_name)
    saved = record_comments(session, draft, author, parsed_reply.text, parsed_reply.message_id)
    return f"{len(saved)} comment(s) on {draft.reference}"


def is_announcement(session: Session, message_id: str) -> bool:
    """Whether this Message-ID is a draft's announcement."""
    found = session.scalar(select(DraftTarget.id).where(DraftTarget.message_id == message_id))
    return found is not None


def comment_from_web(
    session: Session,
    settings: Settings,
    draft: DraftDocument,
    mlist: MailingList,
    author: tuple[str, str],
    anchor: str | None,
    text: str,
) -> Submitted:
    """A comment written next to a provision: recorded as such, and sent to the group as a
    reply to the draft's announcement (queued claimed, for the caller to process at once)."""
    names = labels(parsed(draft))
    anchor = anchor if anchor in names else None  # only the draft's own provisions
    label = names.get(anchor or "", GENERAL)
    target = session.scalar(
        select(DraftTarget).where(DraftTarget.draft_id == draft.id, DraftTarget.list_id == mlist.id)
    )
    parent = session.scalar(
        select(Message).where(
            Message.list_id == mlist.id, Message.message_id == (target.message_id if target else "")
        )
    )
    body = f"Góp ý {in_sentence(label)}:\n\n{text}" if anchor else text
    subject = f"Re: [Dự thảo {draft.reference}] {draft.title}"
    raw = build_web_post(settings, mlist, author, subject, body, parent)
    message_id = str(message_from_bytes(raw)["Message-ID"]).strip("<> ")
    commenter = author_of(session, draft, author[1], author[0])
    session.add(
        DraftComment(
            draft_id=draft.id,
            anchor=anchor,
            text=text,
            author_email=commenter.email,
            author_name=commenter.name,
            unit=commenter.unit,
            message_id=message_id,
            how="named" if anchor else "general",
            late=draft.deadline is not None and utcnow() > draft.deadline,
        )
    )
    return submit(session, raw, author[1], [mlist.posting_address])
