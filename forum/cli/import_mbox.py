"""`forum import-mbox`: the mbox is read and parsed ahead in a child process forked when the
command starts, before the application is imported (`archive.read_ahead`). The command is
the `forum` group's own, so that the group does not load the app to find it; this module
imports nothing of the app, which the command loads once the child runs."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import click
from flask import has_app_context
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
        from forum.cli.mbox import import_read

        import_read(mbox, list_name, create_list=create_list, batch_size=batch_size, quiet=quiet)


def _app_context() -> AbstractContextManager[object]:
    """The app's context: the one in use (`flask` command, tests), or the app loaded now."""
    if has_app_context():
        return nullcontext()
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    return app.app_context()
