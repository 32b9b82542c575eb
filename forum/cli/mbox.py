"""`forum export-mbox` and `forum repair-dates`: whole archives out, and the dates of archives
imported before dates were checked (`forum import-mbox` is `forum.cli.import_mbox`)."""

from __future__ import annotations

from typing import BinaryIO

import click
from flask import current_app

from archive.export import ExportScope, export_list
from archive.redate import repair_dates
from forum import clock
from forum.extensions import db, session
from forum.lists.lists import find_list
from forum.search.indexing import reindex
from forum.settings import Settings


@click.command("export-mbox")
@click.argument("list_name")
@click.option("--thread", "thread_id", type=int, help="Only this thread.")
@click.option("--month", help="Only messages dated in this month (YYYY-MM, the site's time).")
@click.option("-o", "--output", type=click.File("wb"), default="-", help="Default: stdout.")
def export_mbox_command(
    list_name: str, thread_id: int | None, month: str | None, output: BinaryIO
) -> None:
    """Write a list's raw messages as an mboxrd file (standard output by default)."""
    mlist = find_list(session(), list_name)
    if mlist is None:
        raise click.UsageError(f"no list named {list_name!r}")
    try:
        settings: Settings = current_app.config["FORUM"]
        zone = clock.zone(settings.timezone)
        scope = ExportScope.build(mlist.id, thread_id=thread_id, month=month, zone=zone)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    count = export_list(session(), scope, output)
    click.echo(f"{count} messages exported", err=True)


@click.command("repair-dates")
@click.option("--list", "list_name", help="Only this list's messages.")
def repair_dates_command(list_name: str | None) -> None:
    """Read every message's date again from its raw mail (Date checked against the mail
    servers' Received stamps), lay the threads out again and rebuild the search index."""
    settings: Settings = current_app.config["FORUM"]
    mlist = find_list(session(), list_name) if list_name else None
    if list_name and mlist is None:
        raise click.UsageError(f"no list named {list_name!r}")
    report = repair_dates(session(), mlist.id if mlist else None)
    db.session.commit()
    if report.changed:
        reindex(session(), settings, list_name)
    click.echo(
        f"{report.checked} messages checked: {report.changed} dates repaired "
        f"in {report.threads} threads"
    )
