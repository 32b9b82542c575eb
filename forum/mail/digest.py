"""The daily digest: one MIME message a day for members who chose it (RFC 1153-style plain
text, with an HTML alternative), built from what the list archived since the last one."""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import Address, MailingList, Message
from archive.own_text import own_text
from archive.web_posts import readable_text
from forum import clock
from forum.mail.automail import bilingual
from forum.mail.bounces import verp_sender
from forum.mail.header_folding import OUTGOING, text_encoding
from forum.mail.outbox import enqueue
from forum.mail.routing import list_address
from forum.models import DigestState, Member
from forum.settings import Settings

MAX_MESSAGES = 200  # a very busy day is split over the following digests
SEPARATOR = "-" * 30  # RFC 1153 puts 30 dashes between messages
_END_SEPARATOR = "*" * 30


def digest_recipients(session: Session, mlist: MailingList) -> list[str]:
    return list(
        session.scalars(
            select(Address.email)
            .join(Member, Member.address_id == Address.id)
            .where(
                Member.list_id == mlist.id,
                Member.delivery_mode == "digest",
                Member.delivery_enabled.is_(True),
            )
            .order_by(Address.email)
        )
    )


def digest_due(last_sent_at: datetime | None, now: datetime, zone_name: str, hour: int) -> bool:
    """Whether a list's daily digest is due: the site's digest hour (local time) has come
    since the last one went out."""
    local_now = clock.local(now, zone_name)
    slot = local_now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if slot > local_now:
        slot -= timedelta(days=1)  # before today's hour: yesterday's is the one due
    return last_sent_at is None or clock.local(last_sent_at, zone_name) < slot


# Which of these threads a member muted (the topics feature answers; mail knows no features).
MutedThreads = Callable[[Session, str, Collection[int]], set[int]]


def send_due_digests(
    session: Session,
    settings: Settings,
    now: datetime | None = None,
    muted: MutedThreads | None = None,
) -> int:
    """Queue the day's digest of every list with new messages, once the local digest hour
    (FORUM_DIGEST_HOUR) has come; returns how many. A member's muted threads show as a line
    ("muted: N new") instead of their messages."""
    now = now or utcnow()
    sent = 0
    for mlist in session.scalars(select(MailingList).order_by(MailingList.id)):
        state = session.get(DigestState, mlist.id) or DigestState(list_id=mlist.id)
        if not digest_due(state.last_sent_at, now, settings.timezone, settings.digest_hour):
            continue
        if _send_one(session, settings, mlist, state, now, muted):
            sent += 1
    return sent


def _send_one(
    session: Session,
    settings: Settings,
    mlist: MailingList,
    state: DigestState,
    now: datetime,
    muted: MutedThreads | None,
) -> bool:
    messages = session.scalars(
        select(Message)
        .where(Message.list_id == mlist.id, Message.id > (state.last_message_pk or 0))
        .order_by(Message.id)
        .limit(MAX_MESSAGES)
    ).all()
    recipients = digest_recipients(session, mlist)
    if not messages or not recipients:
        return False
    threads = {m.thread_id for m in messages}
    groups: dict[frozenset[int], list[str]] = defaultdict(list)
    for recipient in recipients:
        hidden = frozenset(muted(session, recipient, threads)) if muted else frozenset()
        groups[hidden].append(recipient)
    for hidden, members in groups.items():
        shown = [m for m in messages if m.thread_id not in hidden]
        raw = build_digest(settings, mlist, shown, now, muted_lines(messages, hidden))
        enqueue(
            session,
            raw,
            [(r, verp_sender(mlist.name, mlist.domain, r)) for r in members],
            list_id=mlist.id,
            kind="digest",
            subject=f"{mlist.display_name} digest",
        )
    state.last_sent_at = now
    state.last_message_pk = messages[-1].id
    session.merge(state)
    return True


def muted_lines(messages: Sequence[Message], hidden: frozenset[int]) -> list[str]:
    """A line per muted thread with new messages: its subject and how many."""
    counts = Counter(m.thread_id for m in messages if m.thread_id in hidden)
    subjects = {m.thread_id: m.subject for m in messages if m.thread_id in hidden}
    with force_locale("vi"):
        return [
            _("%(subject)s (muted: %(num)d new)", subject=subjects[t] or "-", num=n)
            for t, n in counts.items()
        ]


def build_digest(
    settings: Settings,
    mlist: MailingList,
    messages: Sequence[Message],
    now: datetime,
    muted: Sequence[str] = (),
) -> bytes:
    with force_locale("vi"):
        title = _(
            "%(name)s digest, %(date)s",
            name=mlist.display_name,
            date=f"{clock.local(now, settings.timezone):%d/%m/%Y}",
        )
        contents = _("Today's topics")
    leave = _leave_lines(settings, mlist)

    digest = EmailMessage(policy=OUTGOING)
    digest["From"] = formataddr(
        (mlist.display_name, list_address(mlist.name, mlist.domain, "request"))
    )
    digest["To"] = mlist.posting_address
    digest["Subject"] = title
    digest["Date"] = format_datetime(now)
    digest["Message-ID"] = make_msgid(domain=mlist.domain)
    digest["List-Id"] = f"<{mlist.name}.{mlist.domain}>"
    digest["List-Post"] = f"<mailto:{mlist.posting_address}>"
    digest["Precedence"] = "list"
    digest["X-Loop"] = mlist.posting_address
    plain = _plain(title, contents, messages, muted, leave)
    digest.set_content(plain, charset="utf-8", cte=text_encoding(plain))
    html = _html(settings, mlist, title, contents, messages, muted, leave)
    digest.add_alternative(html, subtype="html", charset="utf-8", cte=text_encoding(html))
    return digest.as_bytes()


def _leave_lines(settings: Settings, mlist: MailingList) -> tuple[str, ...]:
    """Where to leave, in Vietnamese then English, as under each copy of a post."""
    url = f"{settings.base_url}/lists/{mlist.name}/leave"
    lines = bilingual(lambda: _("To leave %(name)s: %(url)s", name=mlist.display_name, url=url))
    return lines[:1] if lines[0] == lines[1] else lines


def _plain(
    title: str,
    contents: str,
    messages: Sequence[Message],
    muted: Sequence[str] = (),
    leave: Sequence[str] = (),
) -> str:
    lines = [title, "", f"{contents}:", ""]
    lines += [
        f"  {n}. {m.subject or '(no subject)'} ({m.sender_name or m.sender_email})"
        for n, m in enumerate(messages, 1)
    ]
    lines += [f"  - {line}" for line in muted]
    lines += ["", SEPARATOR]
    for message in messages:
        lines += [
            "",
            f"Date: {format_datetime(message.date)}",
            f"From: {message.sender_name} <{message.sender_email}>",
            f"Subject: {message.subject}",
            "",
            _words(message),
            "",
            SEPARATOR,
        ]
    lines += ["", f"End of {title}", _END_SEPARATOR, "", *leave, ""]
    return "\n".join(lines)


def _html(
    settings: Settings,
    mlist: MailingList,
    title: str,
    contents: str,
    messages: Sequence[Message],
    muted: Sequence[str] = (),
    leave: Sequence[str] = (),
) -> str:
    esc = html.escape
    toc = "".join(
        f'<li><a href="#m{m.id}">{esc(m.subject or "(no subject)")}</a> '
        f"({esc(m.sender_name or m.sender_email)})</li>"
        for m in messages
    )
    toc += "".join(f'<li class="muted">{esc(line)}</li>' for line in muted)
    parts = []
    for m in messages:
        link = f"{settings.base_url}/lists/{mlist.name}/message/{m.message_id_hash}/"
        parts.append(
            f'<hr><h2 id="m{m.id}">{esc(m.subject)}</h2>'
            f"<p><b>{esc(m.sender_name)}</b> &lt;{esc(m.sender_email)}&gt; · "
            f'{esc(format_datetime(m.date))} · <a href="{esc(link)}">web</a></p>'
            f'<pre style="white-space: pre-wrap">{esc(_words(m))}</pre>'
        )
    return (
        f"<!doctype html><html><body><h1>{esc(title)}</h1><h2>{esc(contents)}</h2>"
        f"<ol>{toc}</ol>{''.join(parts)}<hr>"
        f"<p>{'<br>'.join(_linked(line) for line in leave)}</p></body></html>"
    )


def _linked(line: str) -> str:
    """A footer line with its trailing address as a link."""
    text, _sep, url = line.rpartition(" ")
    return f'{html.escape(text)} <a href="{html.escape(url)}">{html.escape(url)}</a>'


def _words(message: Message) -> str:
    """What the author wrote, as on the web: quotes, signatures, disclaimers and list
    footers are left out (a message that is nothing else, a forward, is kept whole)."""
    text = readable_text(message.message_id, message.body_text)
    return own_text(text).strip() or text.strip()
