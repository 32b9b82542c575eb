"""The `forum` console script: Flask's command group bound to our app factory."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from flask.cli import FlaskGroup

from forum.cli.import_mbox import import_mbox_command
from forum.cli.leaving import leave

if TYPE_CHECKING:
    from flask import Flask


def main() -> None:
    group = FlaskGroup(create_app=started_app, help="Email-first discussion forum.")
    group.add_command(import_mbox_command)  # (its mbox is read ahead while the app loads)
    try:
        group.main(prog_name="forum")  # (click ends every run with SystemExit)
    except SystemExit as done:
        leave(done.code)


def started_app(pages: bool = True) -> Flask:
    """The application, its modules imported and set up with the cyclic garbage collector
    paused, then frozen: the start makes a few hundred thousand objects that live as long as
    the process, and collecting among them took a tenth of it; frozen, the command's own
    collections (and its forked children's) do not walk them again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        from forum.app import create_app

        return create_app(pages=pages)
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
