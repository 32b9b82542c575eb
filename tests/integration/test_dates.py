"""Dates as imported: a nonsense Date: gives way to the servers' stamps, the source is shown,
undated mail never leads, `forum repair-dates` mends old archives, months are local."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select, update

from archive.dates import UNDATED_ACTIVITY
from archive.mbox import iter_messages, write_message
from archive.models import Message, Thread
from forum.extensions import db
from tests.mail import raw_mail

RECEIVED = "Received: from pc.example by mx.so.example; Mon, 8 Jan 2001 20:00:13 +0000\n"


def _mbox(path: Path, entries: list[tuple[bytes, datetime | None]]) -> None:
    with path.open("wb") as out:
        for raw, when in entries:
            if when is None:  # an mbox line without a date
                out.write(b"From MAILER-DAEMON\n" + raw + b"\n")
            else:
                write_message(out, raw, "sender@example.org", when)


def _without_date(raw: bytes) -> bytes:
    return b"\n".join(line for line in raw.split(b"\n") if not line.startswith(b"Date:"))


def _import(runner: FlaskCliRunner, tmp_path: Path) -> None:
    root = raw_mail("root@x", subject="Indy boots", date="Mon, 8 Jan 2001 19:00:00 +0000")
    future = raw_mail(
        "future@x", in_reply_to="root@x", date="Mon, 1 Jun 2026 10:00:00 +0000",
        extra_headers=RECEIVED,
    )  # fmt: skip
    y2k = raw_mail("y2k@x", in_reply_to="root@x", date="Sat, 18 May 0102 19:56:53 -0900")
    spam = _without_date(raw_mail("spam@x", subject="Cheap watches"))
    source = tmp_path / "in.mbox"
    _mbox(
        source,
        [
            (root, datetime(2001, 1, 8, 19, 0, tzinfo=UTC)),
            (future, datetime(2001, 1, 8, 20, 1, tzinfo=UTC)),
            (y2k, datetime(2001, 1, 10, 9, 30, tzinfo=UTC)),
            (spam, None),
        ],
    )
    result = runner.invoke(args=["import-mbox", "mips", str(source), "--create-list", "--quiet"])
    assert result.exit_code == 0, result.output


def _message(message_id: str) -> Message:
    return db.session.scalars(select(Message).where(Message.message_id == message_id)).one()


def test_imported_dates_come_from_the_servers_when_the_date_header_is_wrong(
    runner: FlaskCliRunner, client: FlaskClient, tmp_path: Path
) -> None:
    _import(runner, tmp_path)
    future, y2k, spam = _message("future@x"), _message("y2k@x"), _message("spam@x")
    assert (future.date, future.date_source) == (
        datetime(2001, 1, 8, 20, 0, 13, tzinfo=UTC),
        "received",
    )
    assert (y2k.date, y2k.date_source) == (datetime(2001, 1, 10, 9, 30, tzinfo=UTC), "mbox")
    assert spam.date_source == "arrival"  # no Date, no Received, no date on its mbox line
    thread = db.session.get(Thread, future.thread_id)
    assert thread is not None
    assert thread.last_activity == datetime(2001, 1, 10, 9, 30, tzinfo=UTC)
    spam_thread = db.session.get(Thread, spam.thread_id)
    assert spam_thread is not None
    assert spam_thread.last_activity == UNDATED_ACTIVITY  # never the list's newest
    listing = client.get("/lists/mips/").get_data(as_text=True)
    assert listing.index("Indy boots") < listing.index("Cheap watches")
    page = client.get(f"/lists/mips/message/{future.message_id_hash}/?lang=en").text
    assert "date from the server's records" in page
    page = client.get(f"/lists/mips/message/{future.message_id_hash}/?lang=vi").text
    assert "ngày theo ghi nhận của máy chủ thư" in page
    root_page = client.get(f"/lists/mips/message/{_message('root@x').message_id_hash}/").text
    assert "ghi nhận của máy chủ" not in root_page


def test_repair_dates_mends_an_archive_filed_with_the_import_time(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    _import(runner, tmp_path)
    now = datetime(2026, 12, 4, tzinfo=UTC)
    future = _message("future@x")
    db.session.execute(
        update(Message).where(Message.id == future.id).values(date=now, date_source="header")
    )
    db.session.execute(update(Thread).values(last_activity=now))
    db.session.commit()
    result = runner.invoke(args=["repair-dates", "--list", "mips"])
    assert result.exit_code == 0, result.output
    assert "dates repaired" in result.output
    db.session.expire_all()
    future = _message("future@x")
    assert (future.date, future.date_source) == (
        datetime(2001, 1, 8, 20, 0, 13, tzinfo=UTC),
        "received",
    )
    thread = db.session.get(Thread, future.thread_id)
    assert thread is not None
    assert thread.last_activity < now
    again = runner.invoke(args=["repair-dates"])
    assert "0 dates repaired" in again.output


def test_export_mbox_months_are_the_sites_local_months(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    # 20:00 UTC on 30 April is 03:00 on 1 May in Hanoi, where the web files it under May
    late = raw_mail("late@x", date="Thu, 30 Apr 2009 20:00:00 +0000")
    source = tmp_path / "in.mbox"
    _mbox(source, [(late, datetime(2009, 4, 30, 20, tzinfo=UTC))])
    runner.invoke(args=["import-mbox", "demo", str(source), "--create-list", "--quiet"])
    may = runner.invoke(args=["export-mbox", "demo", "--month", "2009-05"])
    april = runner.invoke(args=["export-mbox", "demo", "--month", "2009-04"])
    assert list(iter_messages(io.BytesIO(may.stdout_bytes))) == [late]
    assert list(iter_messages(io.BytesIO(april.stdout_bytes))) == []
