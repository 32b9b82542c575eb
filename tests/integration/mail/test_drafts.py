"""Draft regulations end to end: publish, a member's reply over SMTP becomes comments on the
right provisions, the drafting body responds, and the DOCX report holds the rows."""

from __future__ import annotations

import html
import io
from datetime import date
from email.header import decode_header, make_header
from pathlib import Path

from aiosmtpd.controller import Controller
from docx import Document
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from archive.models import MailingList
from forum.clock import local_day
from forum.drafting import service
from forum.drafting.models import DraftComment, DraftDocument
from forum.extensions import db, dmarc
from forum.lists.members import find_member
from forum.posting.pipeline import process_submitted
from forum.settings import Settings
from tests.integration.mail.conftest import MEMBERS, send, work
from tests.smtp_sink import Sink
from tests.web import csrf_token, sign_in_as_admin, sign_in_by_link

DRAFT = (
    Path(__file__).resolve().parents[2] / "unit" / "drafting" / "drafts" / "thong_tu_day_them.txt"
)
PRINCIPAL = MEMBERS[0]


def _publish(client: FlaskClient, thpt: MailingList) -> DraftDocument:
    data = {
        "csrf_token": csrf_token(client, "/drafts/new"),
        "title": "Dự thảo Thông tư quy định về dạy thêm, học thêm",
        "unit": "Vụ Giáo dục Trung học",
        "deadline": "2099-12-31",
        "lists": [str(thpt.id)],
        "file": (io.BytesIO(DRAFT.read_bytes()), "du-thao.txt"),
    }
    response = client.post("/drafts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return db.session.scalars(select(DraftDocument)).one()


def test_publish_reply_respond_and_report(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
    runner: FlaskCliRunner,
) -> None:
    member = find_member(db.session(), thpt, PRINCIPAL)
    assert member is not None
    member.unit = "THPT Chu Văn An"
    db.session.commit()
    sign_in_as_admin(client, runner)
    draft = _publish(client, thpt)
    work(app, settings)
    announcement = sink.for_recipient(PRINCIPAL)[0]
    assert "DT-" in announcement.text
    assert "Điều 7" in announcement.text

    quoted = "\n".join(
        "> " + line
        for line in [
            "Điều 7: Trách nhiệm của hiệu trưởng",
            "1. Lập kế hoạch dạy thêm, học thêm và công khai trước khi thực hiện.",
        ]
    )
    body = (
        "Kính gửi Ban soạn thảo,\n\n"
        "Góp ý khoản 2 Điều 6: đề nghị cho phép lớp học thêm đến 50 học sinh ở vùng đông dân.\n\n"
        f"{quoted}\n\n"
        "Đề nghị bổ sung: kế hoạch phải được hội đồng trường thông qua.\n\n"
        "Trân trọng,\nNguyễn Thị Lan\nHiệu trưởng"
    )
    message_id = str(announcement.message["Message-ID"]).strip("<>")
    reply = (
        f"From: Cô Lan <{PRINCIPAL}>\nTo: thpt@example.org\n"
        f"Subject: Re: {announcement.message['Subject']}\nMessage-ID: <reply-draft@school>\n"
        f"In-Reply-To: <{message_id}>\nReferences: <{message_id}>\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n\n"
        f"{body}\n"
    ).encode()
    send(settings, PRINCIPAL, ["thpt@example.org"], reply)
    work(app, settings)
    comments = {c.anchor: c for c in db.session.scalars(select(DraftComment))}
    assert "dieu-6-khoan-2" in comments
    assert "50 học sinh" in comments["dieu-6-khoan-2"].text
    quoted_anchor = next(a for a in comments if a and a.startswith("dieu-7"))
    assert "hội đồng trường" in comments[quoted_anchor].text
    assert comments["dieu-6-khoan-2"].unit == "THPT Chu Văn An"
    assert all("Trân trọng" not in c.text for c in comments.values())

    page = client.get(f"/drafts/{draft.id}/").get_data(as_text=True)
    assert "50 học sinh" in page
    target = comments["dieu-6-khoan-2"]
    client.post(
        f"/drafts/{draft.id}/respond/{target.id}",
        data={
            "csrf_token": csrf_token(client, f"/drafts/{draft.id}/"),
            "kind": "explained",
            "response": "Giữ 45 học sinh để bảo đảm chất lượng.",
        },
    )
    document = Document(io.BytesIO(client.get(f"/drafts/{draft.id}/report.docx").data))
    table = document.tables[0]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert len(cells) == 1 + len(comments)
    flat = "\n".join("|".join(row) for row in cells)
    assert "50 học sinh" in flat
    assert "Giữ 45 học sinh" in flat
    assert "THPT Chu Văn An" in flat
    csv_text = client.get(f"/drafts/{draft.id}/report.csv").data.decode("utf-8-sig")
    assert "Giải trình" in csv_text or "explained" in csv_text
    report_page = client.get(f"/drafts/{draft.id}/report?lang=en").get_data(as_text=True)
    assert "Explained: 1" in report_page
    assert draft.title in client.get("/drafts/?list=thpt").get_data(as_text=True)
    assert draft.title not in client.get("/drafts/?list=thcs").get_data(as_text=True)


def test_only_managers_see_the_report(
    app: Flask, settings: Settings, thpt: MailingList, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    sign_in_as_admin(client, runner)
    draft = _publish(client, thpt)
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/")})
    assert client.get(f"/drafts/{draft.id}/").status_code == 200
    assert client.get(f"/drafts/{draft.id}/report.docx").status_code == 403


def test_a_held_reply_becomes_comments_once_approved(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
    runner: FlaskCliRunner,
) -> None:
    from forum.models import HeldPost
    from forum.posting.moderation import approve

    sign_in_as_admin(client, runner)
    _publish(client, thpt)
    work(app, settings)
    announcement = sink.for_recipient(PRINCIPAL)[0]
    message_id = str(announcement.message["Message-ID"]).strip("<>")
    outsider = "chuyen.gia@vien.edu.vn"  # not a member: the reply is held
    reply = (
        f"From: {outsider}\nTo: thpt@example.org\nSubject: Re: góp ý\n"
        f"Message-ID: <held-draft@vien>\nIn-Reply-To: <{message_id}>\n\n"
        "Góp ý Điều 3: nên nêu rõ trách nhiệm của phụ huynh.\n"
    ).encode()
    send(settings, outsider, ["thpt@example.org"], reply)
    work(app, settings)
    assert db.session.scalar(select(DraftComment.id)) is None
    held = db.session.scalars(select(HeldPost)).one()
    approve(db.session(), settings, held, "owner@so.example")
    db.session.commit()
    (comment,) = db.session.scalars(select(DraftComment))
    assert comment.anchor == "dieu-3"


def test_a_refused_draft_form_keeps_what_was_typed(
    app: Flask, thpt: MailingList, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    sign_in_as_admin(client, runner)
    client.set_cookie("lang", "en")
    text = DRAFT.read_text(encoding="utf-8")
    data = {
        "csrf_token": csrf_token(client, "/drafts/new"),
        "title": "Dự thảo Quy chế thi",
        "unit": "Sở GD&ĐT",
        "deadline": "2099-12-31",
        "text": text,
    }
    response = client.post("/drafts/new", data=data)  # no group chosen
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "Choose at least one group." in page
    for value in ("Dự thảo Quy chế thi", "Sở GD&ĐT", "2099-12-31", text.strip()[:200]):
        assert value in page
    data.update(lists=[str(thpt.id)], text="Không có điều nào.")
    response = client.post("/drafts/new", data=data)
    page = html.unescape(response.get_data(as_text=True))
    assert "No article (Điều) was found in the text." in page
    assert "checked" in page
    for deadline, said in (
        ("", "Choose the comment deadline."),
        ("2001-01-01", "The comment deadline has already passed."),
    ):
        data.update(text=text, deadline=deadline)
        response = client.post("/drafts/new", data=data)
        assert response.status_code == 400
        assert said in html.unescape(response.get_data(as_text=True))
    data.update(deadline="2099-12-31", title="", text="Điều 1. Phạm vi\nNội dung.")
    untitled = html.unescape(client.post("/drafts/new", data=data).get_data(as_text=True))
    assert "Give the draft a title." in untitled
    assert db.session.scalars(select(DraftDocument)).all() == []


def test_managing_a_draft_answers_every_action(
    app: Flask,
    settings: Settings,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
    runner: FlaskCliRunner,
) -> None:
    sign_in_as_admin(client, runner)
    client.set_cookie("lang", "en")
    draft = _publish(client, thpt)
    page = f"/drafts/{draft.id}/"
    member = app.test_client()
    sign_in_by_link(app, settings, sink, member, PRINCIPAL)
    member.set_cookie("lang", "en")
    token = csrf_token(member, page)
    empty = member.post(f"{page}comment", data={"csrf_token": token, "text": " "})
    assert "Write your comment first." in member.get(empty.headers["Location"]).text
    data = {"csrf_token": token, "text": "Đề nghị 50 học sinh.", "anchor": "dieu-6-khoan-2"}
    member.post(f"{page}comment", data=data)
    report = client.get(f"{page}report").text
    assert "1 comment, from 1 person ·" in report  # commenters without a unit: no "in 0 units"
    assert "0 units" not in report
    shown = client.get(page).get_data(as_text=True)
    assert '<a href="#dieu-6">Điều 6' in shown
    article = shown.split('<a href="#dieu-6">', 1)[1].split("</li>", 1)[0]
    assert '<span class="count">1</span>' in article  # the clause's comment counts for the article

    report = client.get(f"{page}report").text
    assert "Khoản 2 Điều 6" in report  # cited the Vietnamese way
    assert "1 comment, from 1 person" in report
    (comment,) = db.session.scalars(select(DraftComment)).all()
    token = csrf_token(client, page)
    no_kind = {"csrf_token": token, "kind": "", "response": "Giữ 45."}
    client.post(f"{page}respond/{comment.id}", data=no_kind)
    assert "Choose accepted, partly accepted or explained" in client.get(page).text
    db.session.refresh(comment)
    assert comment.response == ""

    deadline = draft.deadline
    for data, said in (
        ({"action": "extend", "deadline": ""}, "Choose the new deadline."),
        ({"action": "extend", "deadline": "2001-01-01"}, "The new deadline has already passed."),
        ({"action": "close"}, "Comments are closed."),
        ({"action": "extend", "deadline": "30/06/2100"}, "The deadline is extended."),
    ):
        client.post(f"{page}state", data={"csrf_token": token, **data})
        assert said in client.get(page).text, data
    db.session.refresh(draft)
    assert draft.deadline is not None
    assert deadline is not None
    assert draft.deadline > deadline
    assert draft.state == "published"
    assert local_day(draft.deadline, settings.timezone) == date(2100, 6, 30)  # typed dd/mm/yyyy
    assert 'type="date"' not in client.get(page).text  # no mm/dd/yyyy in an English browser


OFFICIAL_REPLY = """Kính gửi Ban soạn thảo,

UBND HUYỆN NÚI THÀNH\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
PHÒNG GIÁO DỤC VÀ ĐÀO TẠO\tĐộc lập - Tự do - Hạnh phúc
Số: 125/PGDĐT-THCS\tNúi Thành, ngày 12 tháng 3 năm 2026
V/v góp ý dự thảo Thông tư quy định
về dạy thêm, học thêm

Kính gửi: Vụ Giáo dục Trung học.

Thực hiện Công văn số 456/BGDĐT-GDTrH của Bộ, Phòng góp ý như sau:

Góp ý khoản 2 Điều 6:

Số học sinh 45 em/lớp phù hợp với trường ở thành phố.

Ở vùng đông dân cư nên cho phép đến 50 học sinh.

Đề nghị sửa khoản 1 Điều 6 Thông tư như sau: mỗi môn học không quá 03 tiết/tuần.

Trên đây là ý kiến góp ý của Phòng Giáo dục và Đào tạo huyện Núi Thành./.

Nơi nhận:\t\tKT. TRƯỞNG PHÒNG
- Như trên;\t\tPHÓ TRƯỞNG PHÒNG
- Lưu: VT, THCS.
\t\t(đã ký)
\t\tNguyễn Văn Bình
"""


def test_a_pasted_official_letter_gives_only_its_comments(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
    runner: FlaskCliRunner,
) -> None:
    sign_in_as_admin(client, runner)
    draft = _publish(client, thpt)
    work(app, settings)
    announcement = sink.for_recipient(PRINCIPAL)[0]
    message_id = str(announcement.message["Message-ID"]).strip("<>")
    reply = (
        f"From: Phong GD <{PRINCIPAL}>\nTo: thpt@example.org\n"
        f"Subject: Re: {announcement.message['Subject']}\nMessage-ID: <cong-van@pgd>\n"
        f"In-Reply-To: <{message_id}>\nReferences: <{message_id}>\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
        f"Content-Transfer-Encoding: 8bit\n\n{OFFICIAL_REPLY}"
    ).encode()
    send(settings, PRINCIPAL, ["thpt@example.org"], reply)
    work(app, settings)
    comments = db.session.scalars(select(DraftComment).order_by(DraftComment.id)).all()
    assert [(c.anchor, c.how) for c in comments] == [
        ("dieu-6-khoan-2", "named"),
        ("dieu-6-khoan-1", "named"),
    ]
    assert "45 em/lớp" in comments[0].text
    assert "50 học sinh" in comments[0].text
    assert "03 tiết/tuần" in comments[1].text
    report = html.unescape(client.get(f"/drafts/{draft.id}/report").get_data(as_text=True))
    for formality in ("Số: 125", "V/v góp ý", "Nơi nhận", "Lưu: VT", "TRƯỞNG PHÒNG", "đã ký"):
        assert formality not in report, formality
    assert "Nguyễn Văn Bình" not in report
    assert "Góp ý chung" not in report  # no general row: everything found its provision


def test_a_draft_announcement_reaches_focal_points_whatever_their_delivery(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
    runner: FlaskCliRunner,
) -> None:
    focal, reader = (
        find_member(db.session(), thpt, MEMBERS[2]),
        find_member(db.session(), thpt, MEMBERS[1]),
    )
    assert focal is not None
    assert reader is not None
    focal.is_focal_point, focal.delivery_mode = True, "digest"
    reader.delivery_mode = "digest"
    db.session.commit()
    sign_in_as_admin(client, runner)
    _publish(client, thpt)
    work(app, settings)
    assert "DT-" in sink.for_recipient(MEMBERS[2])[0].text  # the focal point, at once
    assert sink.for_recipient(MEMBERS[1]) == []  # a digest reader: in tomorrow's digest


def test_a_draft_without_deadline_is_announced_without_one(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    owner = ("Phòng Giáo dục", "owner@so.example")
    draft = service.create(db.session(), "", owner[0], None, DRAFT.read_text("utf-8"), owner[1])
    submitted = service.publish(db.session(), settings, draft, [thpt], owner)
    process_submitted(db.session(), settings, submitted, dmarc())  # as the publish page does
    work(app, settings)
    (copy,) = sink.for_recipient(MEMBERS[0])
    subject = str(make_header(decode_header(str(copy.message["Subject"]))))
    assert subject.startswith(f"[Dự thảo {draft.reference}] ")
    assert "góp ý trước" not in subject
    assert not subject.rstrip().endswith(("—", "-"))
    assert "Hạn góp ý: không quy định." in copy.text
