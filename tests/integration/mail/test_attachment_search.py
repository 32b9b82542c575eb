"""Words inside attached documents: a notice over SMTP, read by the worker's attachment step,
found through /search with the file and page; private lists' attachments stay private;
hostile files are recorded as not extracted while the worker goes on."""

from __future__ import annotations

import html
import io
import re
import zipfile
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from archive.models import Attachment, AttachmentText, MailingList, Message
from forum.cli.search import COMMANDS
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.search.indexing import index_pending
from forum.search.queries import Asked, run_search
from forum.settings import Settings
from forum.views import search_views
from tests.documents import FONT, docx_file, pdf
from tests.integration.mail.conftest import MEMBERS, send, work
from tests.smtp_sink import Sink

OWNER = "owner@so.example"
SUBJECT = "[Cần phúc đáp 2026-12-20] Công văn số 1234/BGDĐT-GDTrH"
BODY = "Kính gửi các trường,\nBộ gửi kèm công văn và kế hoạch.\n"


def notice(mid: str, files: list[tuple[str, bytes, str]], to: str = "thpt@example.org") -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = OWNER, to, SUBJECT
    message["Message-ID"], message["Date"] = f"<{mid}>", "Tue, 01 Dec 2026 08:00:00 +0700"
    message.set_content(BODY)
    for name, data, ctype in files:
        maintype, subtype = ctype.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def settings(settings: Settings, search_backend_name: str) -> Settings:
    """Each test once per search backend: attachments are found in both alike."""
    return settings.but(search_backend=search_backend_name)


def _client(app: Flask) -> FlaskClient:
    if "search" not in app.blueprints:
        app.register_blueprint(search_views.bp)
    return app.test_client()


def _post(app: Flask, settings: Settings, raw: bytes, to: str = "thpt@example.org") -> None:
    send(settings, OWNER, [to], raw)
    work(app, settings)  # stores, delivers, reads the attachments
    index_pending(db.session, settings)


def test_a_notice_is_found_by_words_only_in_its_pdf_and_docx(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    client = _client(app)
    letter = pdf(["Công văn số 1234", "Hướng dẫn nộp hồ sơ xét tuyển lớp 10"])
    plan = docx_file(["Kế hoạch bồi dưỡng giáo viên cốt cán"])
    files = [("CV 1234.pdf", letter, PDF_TYPE), ("Ke hoach.docx", plan, DOCX_TYPE)]
    _post(app, settings, notice("cv1234@so.example", files))
    assert len(sink.for_recipient(MEMBERS[0])) == 1  # delivered, attachments and all

    page = client.get("/search?q=hồ+sơ+xét+tuyển&lang=en").get_data(as_text=True)
    assert "1234/BGDĐT-GDTrH" in page
    assert "in attachment" in page
    assert "<code>CV 1234.pdf</code>" in page
    assert "page 2" in page
    # the PDF holds the Vietnamese text when DejaVu Sans is there to write it, else folded
    assert ("<mark>xét</mark> <mark>tuyển</mark>" if FONT.exists() else "<mark>xet</mark>") in page
    assert re.search(r"/attachments/\d+/CV%201234.pdf\"><code>", page)

    word = client.get("/search?q=boi+duong+giao+vien&lang=en").get_data(as_text=True)
    assert "<code>Ke hoach.docx</code>" in word
    assert "<mark>bồi</mark> <mark>dưỡng</mark>" in word

    only_mail = client.get("/search?q=xét+tuyển+-in:attachments&lang=en").get_data(as_text=True)
    assert "1234/BGDĐT-GDTrH" not in only_mail
    assert "1234/BGDĐT-GDTrH" in client.get("/search?q=xét+tuyển+in:attachments").get_data(True)
    by_name = client.get('/search?q=filename:"CV+1234"&lang=en').get_data(as_text=True)
    assert "<code>CV 1234.pdf</code>" in by_name
    assert "Ke hoach.docx" not in by_name
    with_files = client.get("/search?q=has:attachment+kế+hoạch&lang=en").get_data(as_text=True)
    assert "<code>Ke hoach.docx</code>" in with_files

    # derived data: `forum reindex` reads the files again and the index finds them again
    for command in COMMANDS:
        app.cli.add_command(command)
    result = app.test_cli_runner().invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert "2 attachments read" in result.output
    assert "1 messages indexed" in result.output
    again = client.get("/search?q=hồ+sơ+xét+tuyển&lang=en").get_data(as_text=True)
    assert "<code>CV 1234.pdf</code>" in again


def test_attachments_of_a_private_list_stay_private(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    private, _ = ensure_list(db.session(), ListSpec("bimat", "Bí mật", ""), "example.org")
    private.is_private = True
    db.session.commit()
    from forum.lists.members import add_member

    add_member(db.session(), private, OWNER, role="owner")
    db.session.commit()
    letter = pdf(["Danh sách thí sinh đặc cách"])
    raw = notice("secret@so.example", [("ds.pdf", letter, PDF_TYPE)], to="bimat@example.org")
    _post(app, settings, raw, to="bimat@example.org")
    stored = db.session.scalars(select(AttachmentText)).one()
    assert stored.status == "text"
    page = _client(app).get("/search?q=thí+sinh+đặc+cách&lang=en").get_data(as_text=True)
    assert "ds.pdf" not in page
    assert "No messages match" in page
    everything = run_search(db.session, settings, Asked("thí sinh đặc cách", list_ids=None))
    assert [f.attachment.name for f in everything.found if f.attachment] == ["ds.pdf"]


def _hash(message_id: str) -> str:
    found = db.session.scalar(
        select(Message.message_id_hash).where(Message.message_id == message_id)
    )
    assert found is not None
    return found


def _zip_bomb_docx() -> bytes:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", b"<Types/>")
        package.writestr("word/document.xml", b"<a>" + b" " * (100 * 1024 * 1024) + b"</a>")
    return bomb.getvalue()


def test_hostile_files_are_recorded_and_the_worker_goes_on(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    hostile = [
        ("bomb.docx", _zip_bomb_docx(), DOCX_TYPE),
        ("locked.pdf", pdf(["mật khẩu"], password="secret"), PDF_TYPE),
    ]
    _post(app, settings, notice("hostile@so.example", hostile))
    good = [("ok.pdf", pdf(["Lịch kiểm tra học kỳ"]), PDF_TYPE)]
    _post(app, settings, notice("good@so.example", good))
    rows = db.session.execute(
        select(Attachment.filename, AttachmentText.status, AttachmentText.reason).join(
            AttachmentText, AttachmentText.attachment_id == Attachment.id
        )
    ).all()
    outcome = {name: (status, reason) for name, status, reason in rows}
    assert outcome["bomb.docx"][0] == "skipped"
    assert "unpacked" in outcome["bomb.docx"][1]
    assert outcome["locked.pdf"] == ("skipped", "encrypted PDF")
    assert outcome["ok.pdf"][0] == "text"
    address = "/lists/thpt/message/" + _hash("hostile@so.example") + "/"
    english = html.unescape(_client(app).get(address + "?lang=en").get_data(as_text=True))
    assert "text not extracted: the PDF is protected by a password" in english
    assert re.search(r"text not extracted: larger than \d+ MiB once unpacked", english)
    # the reader's language, figures kept; the stored reason stays as the reader wrote it
    vietnamese = html.unescape(_client(app).get(address + "?lang=vi").get_data(as_text=True))
    assert "chưa lấy được chữ: tệp PDF được đặt mật khẩu" in vietnamese
    assert re.search(r"chưa lấy được chữ: lớn hơn \d+ MiB sau khi giải nén", vietnamese)
    assert "encrypted PDF" not in vietnamese
    found = _client(app).get("/search?q=kiểm+tra+học+kỳ&lang=en").get_data(as_text=True)
    assert "<code>ok.pdf</code>" in found
    assert len(sink.for_recipient(MEMBERS[1])) == 2  # both notices delivered
