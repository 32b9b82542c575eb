"""`forum import-mbox`: the mbox is read and parsed ahead in a child process forked when the
command starts, before the application is imported (`archive.read_ahead`). The command is
the `forum` group's own, so that the group does not load the app to find it; it then loads
the app without its web pages (`create_app(pages=False)`), and imports what storing needs
only then: this module imports nothing of the app."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import click
from flask import current_app, has_app_context
from flask.cli import ScriptInfo

from archive.read_ahead import ReadAhead


@click.command("import-mbox")
@click.argument("list_name")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--create-list", is_flag=True, help="Create the list if it does not exist.")
@click.option("--batch-size", default=500, show_default=True, help="Messages per commit.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def import_mbox_command(
    list_name: str, path: Path, create_list: bool, batch_size: int, quiet: bool
) -> None:
    """Import an mbox (plain, .gz, .xz or .bz2) into LIST_NAME; re-running adds nothing."""
    with ReadAhead(path) as mbox, _app_context():  # forked first: before the app and threads
        _import(mbox, list_name, create_list=create_list, batch_size=batch_size, quiet=quiet)


def _app_context() -> AbstractContextManager[object]:
    """The app's context: the one in use (the `flask` command, tests), or else the app
    loaded now (the one `--app` names, if given)."""
    if has_app_context():
        return nullcontext()
    info = click.get_current_context().ensure_object(ScriptInfo)
    if info.app_import_path:
        return info.load_app().app_context()
    from forum.cli.main import started_app

    return started_app(pages=False).app_context()


def _import(
    mbox: ReadAhead, list_name: str, *, create_list: bool, batch_size: int, quiet: bool
) -> None:
    """The import itself, in the app's context; what it needs is imported now, the child
    reading meanwhile."""
    from datetime import timedelta

    from tqdm import tqdm

    from archive.importer import import_parsed
    from archive.store import ThreadingOptions
    from forum.extensions import db, session
    from forum.lists.lists import ListSpec, ensure_list, find_list
    from forum.settings import Settings

    settings: Settings = current_app.config["FORUM"]
    mlist = find_list(session(), list_name)
    if mlist is None and create_list:
        mlist, _ = ensure_list(session(), ListSpec(list_name, list_name, ""), settings.domain)
        db.session.commit()
    if mlist is None:
        raise click.UsageError(f"no list named {list_name!r} (use --create-list)")
    days = settings.subject_threading_days
    options = ThreadingOptions(subject_window=timedelta(days=days) if days > 0 else None)
    bar_format = "{l_bar}{bar}| {postfix}"
    size = mbox.path.stat().st_size
    with tqdm(total=size, bar_format=bar_format, disable=quiet, file=sys.stderr) as bar:
        done = 0

        def progress(count: int) -> None:  # by the file's bytes: no first pass to count
            nonlocal done
            done += count
            bar.set_postfix_str(f"{done} msg", refresh=False)
            bar.update(mbox.position - bar.n)

        report = import_parsed(
            session(),
            mlist.id,
            mbox.batches(),
            batch_size=batch_size,
            options=options,
            progress=progress,
        )
    click.echo(
        f"{report.seen} messages read: {report.imported} imported, "
        f"{report.duplicates} duplicates, {report.flagged} flagged"
    )
