"""The schema's migrations (Flask-Migrate, on Alembic), set up on the app only when a command
needs them: importing Alembic is a tenth of a second of every `forum` command's start, and
only `forum init`, `forum db` and `forum move-data` use it."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo

from forum.extensions import db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# Alembic's plugins say they are set up as they are imported: not news to a command's user
logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def migrations_directory(app: Flask | None = None) -> str:
    """The migrations' folder, Flask-Migrate set up on `app` (the current app) first."""
    app = app or current_app
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate  # noqa: PLC0415 - Alembic, only when used

        Migrate(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    directory: str = app.extensions["migrate"].directory
    return directory


def upgrade_schema(app: Flask | None = None) -> None:
    """Bring the database to the latest schema in place (never by dropping it)."""
    directory = migrations_directory(app)
    from flask_migrate import upgrade  # noqa: PLC0415 - Alembic, only when used

    upgrade(directory=directory)


class DatabaseCommands(click.Group):
    """`forum db`: Flask-Migrate's command group, loaded when it runs (its help line is
    listed without it)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        script = (parent or click.get_current_context()).ensure_object(ScriptInfo)
        migrations_directory(script.load_app())
        from flask_migrate.cli import db  # noqa: PLC0415 - Alembic, only when used

        context: click.Context = db.make_context(info_name, args, parent=parent, **extra)
        return context


database_commands = DatabaseCommands("db", help="Perform database migrations.")
