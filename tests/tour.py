"""A small site for the page-wide browser checks: one group with a thread and a reply, a web
post with a Markdown table, a notice, a published draft with a comment, a held post, and
accounts (a member who owns the group, the site admin) signed in without the mailed link."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from flask import Flask

from archive.models import Message, Thread
from forum.drafting import service as drafts
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from forum.mail.inbound import enqueue_inbound
from forum.models import Account
from forum.posting.pipeline import process_submitted
from forum.runner import receive_once
from forum.search.indexing import index_pending
from forum.settings import Settings

OWNER = "pho.phong@so.example"
TEACHER = "co.hoa@truong.edu.vn"
ADMIN = "admin@example.org"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
DRAFT_TEXT = (
    Path(__file__).resolve().parent / "unit" / "drafting" / "drafts" / "thong_tu_day_them.txt"
)
TABLE = "Kết quả:\n\n| Trường | Số học sinh |\n|---|---|\n| THPT A | 1.200 |\n| THPT B | 950 |\n"


@dataclass(frozen=True)
class Site:
    thread_path: str
    message_path: str
    draft_path: str
    notice_path: str


def _mail(sender: str, subject: str, body: str, message_id: str, reply_to: str = "") -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "thpt@example.org"
    mail["Subject"] = subject
    mail["Date"] = "Mon, 01 Dec 2025 08:00:00 +0700"
    mail["Message-ID"] = f"<{message_id}@truong.edu.vn>"
    if reply_to:
        mail["In-Reply-To"] = f"<{reply_to}@truong.edu.vn>"
        mail["References"] = f"<{reply_to}@truong.edu.vn>"
    mail.set_content(body)
    return mail.as_bytes()


def build_site(app: Flask, settings: Settings) -> Site:
    session = db.session()
    mlist, _ = ensure_list(
        session, ListSpec("thpt", "Trung học phổ thông", "Các trường THPT"), "example.org"
    )
    add_member(session, mlist, TEACHER, "Cô Hoa")
    add_member(session, mlist, OWNER, "Phó phòng", role="owner")
    session.add(Account(email=ADMIN, is_admin=True))
    session.commit()
    posts = [
        (
            OWNER,
            "Lịch kiểm tra học kỳ I",
            "Kính gửi các trường,\nLịch kiểm tra gửi kèm.\n",
            "lich",
            "",
        ),
        (TEACHER, "Re: Lịch kiểm tra học kỳ I", TABLE, "lich-re", "lich"),
        (
            OWNER,
            "[Cần phúc đáp 20/12/2030] Báo cáo số liệu học sinh",
            "Đề nghị báo cáo.\n",
            "bc",
            "",
        ),
        ("Người lạ <la@khac.example>", "Hỏi về tuyển sinh MẬT", "Xin hỏi.\n", "held", ""),
    ]
    for sender, subject, body, message_id, parent in posts:
        raw = _mail(sender, subject, body, message_id, parent)
        enqueue_inbound(session, raw, sender.split("<")[-1].rstrip(">"), ["thpt@example.org"])
    receive_once(app)
    draft = drafts.create(
        session, "Dự thảo Thông tư dạy thêm", "Vụ GDTrH", None, DRAFT_TEXT.read_text(), OWNER
    )
    published = drafts.publish(session, settings, draft, [mlist], ("Vụ GDTrH", OWNER))
    process_submitted(session, settings, published, None)
    comment = drafts.comment_from_web(
        session, settings, draft, mlist, ("Cô Hoa", TEACHER), "dieu-1", "Đề nghị làm rõ phạm vi."
    )
    process_submitted(session, settings, comment, None)
    while index_pending(session, settings):
        pass
    session.commit()
    thread = session.query(Thread).filter(Thread.subject.like("Lịch%")).one()
    root = session.get(Message, thread.root_message_id)
    assert root is not None
    return Site(
        thread_path=f"/lists/thpt/thread/{thread.id}/",
        message_path=f"/lists/thpt/message/{root.message_id_hash}/",
        draft_path=f"/drafts/{draft.id}/",
        notice_path="/notices/",
    )


def sign_in(app: Flask, context: Any, base_url: str, email: str) -> None:
    """Give a browser context the session cookie of `email`'s account (made if missing)."""
    session = db.session()
    account = session.query(Account).filter_by(email=email).one_or_none()
    if account is None:
        account = Account(email=email)
        session.add(account)
        session.commit()
    client = app.test_client()
    with client.session_transaction() as browser_session:
        browser_session["account_id"] = account.id
    cookie = client.get_cookie("session")
    assert cookie is not None
    context.add_cookies([{"name": "session", "value": cookie.value, "url": base_url}])


def pages(site: Site) -> dict[str, str]:
    """The pages every check visits, by name."""
    return {
        "home": "/",
        "list": "/lists/thpt/",
        "thread": site.thread_path,
        "message": site.message_path,
        "search": "/search?q=l%E1%BB%8Bch",
        "drafts": "/drafts/",
        "draft": site.draft_path,
        "moderation": "/moderation/thpt/",
        "notices": site.notice_path,
        "signin": "/signin",
    }
