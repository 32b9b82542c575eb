"""The command line: init with the moet preset, create-list, import-mbox, export-mbox."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from archive.mbox import iter_messages, write_mbox
from archive.models import MailingList, Message
from forum import create_app
from forum.extensions import db
from forum.lists.lists import find_list
from forum.models import ListAlias
from forum.settings import Settings
from tests.mail import raw_mail


def test_init_with_moet_preset_creates_the_seven_groups_with_join_aliases(
    runner: FlaskCliRunner,
) -> None:
    result = runner.invoke(args=["init", "--preset", "moet", "--domain", "Moet.Example"])
    assert result.exit_code == 0, result.output
    names = set(db.session.scalars(select(MailingList.name)))
    assert names == {"phong", "thpt", "thcs", "tieuhoc", "maugiao", "ttgdtx", "ttgdcd"}
    aliases = {a.address for a in db.session.scalars(select(ListAlias))}
    assert "dangky-thpt@moet.example" in aliases
    assert len(aliases) == 7


def test_init_again_upgrades_in_place_and_keeps_data(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["init", "--preset", "moet"])
    mlist = find_list(db.session, "thpt")
    assert mlist is not None
    db.session.add(mlist)
    from archive.store import store

    store(db.session, raw_mail("kept@x"), mlist.id)
    db.session.commit()
    result = runner.invoke(args=["init", "--preset", "moet"])
    assert result.exit_code == 0, result.output
    assert "exists" in result.output
    assert db.session.scalar(select(func.count()).select_from(Message)) == 1


def test_create_list_refuses_a_bad_name(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["create-list", "bad name!"])
    assert result.exit_code != 0
    assert "invalid list name" in result.output


def _write_mbox(path: Path, raws: list[bytes]) -> None:
    when = datetime(2009, 4, 14, tzinfo=UTC)
    with path.open("wb") as out:
        write_mbox(out, [(raw, "sender@example.org", when) for raw in raws])


def test_import_mbox_creates_list_reports_counts_and_is_idempotent(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    plain = tmp_path / "a.mbox"
    raws = [raw_mail(f"m{i}@x", in_reply_to="m0@x" if i else None) for i in range(5)]
    _write_mbox(plain, raws + [raw_mail("m1@x")])
    result = runner.invoke(args=["import-mbox", "demo", str(plain), "--create-list"])
    assert result.exit_code == 0, result.output
    assert "6 messages read: 5 imported, 1 duplicates, 0 flagged" in result.output
    again = runner.invoke(args=["import-mbox", "demo", str(plain), "--quiet"])
    assert "0 imported, 6 duplicates" in again.output


def test_import_mbox_reads_gzip_by_content(runner: FlaskCliRunner, tmp_path: Path) -> None:
    plain = tmp_path / "a.mbox"
    _write_mbox(plain, [raw_mail("g1@x"), raw_mail("g2@x")])
    packed = tmp_path / "archive-without-suffix"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    result = runner.invoke(args=["import-mbox", "demo", str(packed), "--create-list", "--quiet"])
    assert "2 imported" in result.output


def test_import_into_unknown_list_without_create_fails_clearly(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    plain = tmp_path / "a.mbox"
    _write_mbox(plain, [raw_mail("x@x")])
    result = runner.invoke(args=["import-mbox", "nosuch", str(plain)])
    assert result.exit_code != 0
    assert "no list named 'nosuch'" in result.output


def test_export_mbox_round_trips_raw_bytes(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    tricky = raw_mail("t@x", body="From the start of a line\n>From quoted\n>>From deeper\n")
    crlf = (
        b"Message-ID: <crlf@x>\r\nSubject: crlf\r\n"
        b"Date: Wed, 15 Apr 2009 08:00:00 +0700\r\n\r\nx\r\n"
    )
    source = tmp_path / "in.mbox"
    _write_mbox(source, [tricky, crlf, raw_mail("u@x", date="Thu, 16 Apr 2009 08:00:00 +0700")])
    runner.invoke(args=["import-mbox", "demo", str(source), "--create-list", "--quiet"])
    out = tmp_path / "out.mbox"
    result = runner.invoke(args=["export-mbox", "demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    stored = {m.message_id: m.raw for m in db.session.scalars(select(Message))}
    with out.open("rb") as stream:
        exported = list(iter_messages(stream))
    assert sorted(exported) == sorted(stored.values())
    assert tricky in exported
    assert crlf in exported
    second = tmp_path / "again.mbox"
    runner.invoke(args=["import-mbox", "copy", str(out), "--create-list", "--quiet"])
    runner.invoke(args=["export-mbox", "copy", "-o", str(second)])
    assert second.read_bytes() == out.read_bytes()


def test_export_mbox_by_month_and_thread_to_stdout(runner: FlaskCliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in.mbox"
    april = raw_mail("a@x", date="Tue, 14 Apr 2009 08:00:00 +0700")
    may = raw_mail("b@x", date="Thu, 14 May 2009 08:00:00 +0700")
    _write_mbox(source, [april, may])
    runner.invoke(args=["import-mbox", "demo", str(source), "--create-list", "--quiet"])
    result = runner.invoke(args=["export-mbox", "demo", "--month", "2009-05"])
    assert result.exit_code == 0
    messages = list(iter_messages(io.BytesIO(result.stdout_bytes)))
    assert messages == [may]
    thread_id = db.session.scalar(select(Message.thread_id).where(Message.message_id == "a@x"))
    result = runner.invoke(args=["export-mbox", "demo", "--thread", str(thread_id)])
    assert list(iter_messages(io.BytesIO(result.stdout_bytes))) == [april]
    bad = runner.invoke(args=["export-mbox", "demo", "--month", "May"])
    assert bad.exit_code != 0
    assert "2009-04" in bad.output


def test_the_domain_given_to_init_is_remembered_by_later_commands(
    runner: FlaskCliRunner, settings: Settings
) -> None:
    result = runner.invoke(args=["init", "--preset", "moet", "--domain", "moet.example"])
    assert result.exit_code == 0, result.output
    later = create_app(settings)  # a later command, run without FORUM_DOMAIN
    assert later.config["FORUM"].domain == "moet.example"
    with later.app_context():
        created = later.test_cli_runner().invoke(args=["create-list", "hoithao"])
        db.session.remove()
        db.engine.dispose()
    assert created.exit_code == 0, created.output
    assert "hoithao@moet.example created" in created.output
    told = create_app(settings.but(domain="other.example", domain_given=True))
    assert told.config["FORUM"].domain == "other.example"  # FORUM_DOMAIN still wins


def test_db_commands_load_alembic_when_they_run_and_no_other_command_does(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(args=["db", "current"])
    assert result.exit_code == 0, result.output
    assert "--directory" in runner.invoke(args=["db", "--help"]).output  # Flask-Migrate's own
    assert _printed_by_fresh_interpreter(START, tmp_path) == ["False", "True"]


def test_python_docx_and_dnspython_are_loaded_by_what_needs_them_only(tmp_path: Path) -> None:
    assert _printed_by_fresh_interpreter(DOCX_ON_DEMAND, tmp_path) == [
        "False",
        "False",
        "True",
        "True",
        "True",
    ]


def test_the_command_starts_its_app_with_the_collector_paused_then_frozen(tmp_path: Path) -> None:
    assert _printed_by_fresh_interpreter(GC_AT_START, tmp_path) == [
        "False",
        "True",
        "True",
        "False",
    ]


def test_import_mbox_forks_its_reader_before_the_app_or_the_parser_is_imported(
    tmp_path: Path,
) -> None:
    assert _printed_by_fresh_interpreter(BEFORE_IMPORT_MBOX_FORKS, tmp_path) == ["[]"]


def _printed_by_fresh_interpreter(script: str, data_dir: Path) -> list[str]:
    """The words `script` prints, run by a new interpreter (nothing imported yet)."""
    started = subprocess.run(  # noqa: S603 - our own script, in a fresh interpreter
        [sys.executable, "-c", script],
        env={**os.environ, "FORUM_DATA_DIR": str(data_dir), "FORUM_SECRET_KEY": "k"},
        capture_output=True,
        text=True,
        check=True,
    )
    return started.stdout.split()


# What the `forum` command has imported when `forum import-mbox` forks its reader: none of
# the app, the database layer or the mail parser (which the child imports meanwhile).
BEFORE_IMPORT_MBOX_FORKS = """
import sys
from forum.cli.main import main
from archive.read_ahead import ReadAhead
heavy = ("forum.app", "forum.models", "sqlalchemy", "flanker", "archive.mbox", "archive.parse")
print([name for name in heavy if name in sys.modules])
"""

# The command's module imports no part of the app; its app leaves the collector as it was.
GC_AT_START = """
import gc
import sys
from forum.cli.main import started_app
print("forum.app" in sys.modules)
started_app()
print(gc.isenabled(), gc.get_freeze_count() > 100_000)
gc.disable()
started_app()
print(gc.isenabled())
"""

# The app started as the command starts it; then a report written, an upload read, and a
# DNS resolver made (for DMARC policies, which only received mail needs).
DOCX_ON_DEMAND = """
import sys
from datetime import UTC, datetime
from forum.cli.main import started_app
started_app()
print("docx" in sys.modules, "dns" in sys.modules)
from forum.drafting.report import ReportHeader
from forum.drafting.report_docx import report_docx
from forum.drafting.docx_input import upload_to_text
report = report_docx(ReportHeader("Dự thảo", "Sở", None, datetime.now(UTC)), [])
print("docx" in sys.modules)
print("Dự thảo" in upload_to_text("report.docx", report))
from forum.mail.dmarc import dns_resolver
dns_resolver("127.0.0.1:53")
print("dns" in sys.modules)
"""

# `forum` as a command starts it: the app and its commands, then `db` asked for
START = """
import sys
from click import Context
from flask.cli import ScriptInfo
from forum.app import create_app
app = create_app()
print("alembic" in sys.modules)
with Context(app.cli, obj=ScriptInfo(create_app=lambda: app)) as parent:
    app.cli.get_command(parent, "db").make_context("db", ["current"], parent=parent)
print("alembic" in sys.modules)
"""
