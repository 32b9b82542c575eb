"""`forum move-data --to URL`: move the whole installation to another database (PostgreSQL)."""

from __future__ import annotations

import sys

import click
from flask import current_app
from sqlalchemy import Engine, create_engine, make_url
from sqlalchemy.exc import ArgumentError
from tqdm import tqdm

from archive.db import Base
from forum import moving
from forum.app import create_app
from forum.cli.migrations import upgrade_schema
from forum.extensions import db
from forum.settings import Settings


@click.command("move-data")
@click.option("--to", "target_url", required=True, help="postgresql+psycopg://USER@HOST/DB")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def move_data_command(target_url: str, quiet: bool) -> None:
    """Copy every list, member, message (raw bytes and all), thread, draft, notice, queued
    mail and account into an empty database, then check both agree."""
    settings: Settings = current_app.config["FORUM"]
    try:
        url = make_url(target_url)
    except ArgumentError as error:
        raise click.UsageError(f"not a database URL: {target_url}") from error
    if url.render_as_string(hide_password=False) == settings.database_url:
        raise click.UsageError("the target is the database in use")
    target = create_engine(url)
    click.echo(f"making the schema in {url.render_as_string(hide_password=True)}")
    moved = create_app(settings.but(database_url=target_url))
    with moved.app_context():
        upgrade_schema(moved)
        db.engine.dispose()
    try:
        result = _copy(target, quiet)
    finally:
        target.dispose()
    for name, (before, after) in result.counts.items():
        if before != after:
            click.echo(f"  {name}: {before} rows here, {after} there")
    if not result.ok:
        raise click.ClickException("the copy differs from this database: do not switch to it")
    click.echo(f"row counts agree; raw messages and files agree (SHA-256 {result.raw_digest[0]})")
    click.echo(
        "Now stop every forum process, then set in their environment:\n"
        f"  FORUM_DATABASE_URL={url.render_as_string(hide_password=False)}\n"
        "  FORUM_SEARCH_BACKEND=postgres   (search from the database, for several hosts)\n"
        "then run `forum reindex` once and start the processes again. Mail that arrived here "
        "since this copy began is not in it: stop mail first, or move again into an empty "
        "database."
    )


def _copy(target: Engine, quiet: bool) -> moving.Check:
    metadata = Base.metadata
    try:
        moving.ensure_empty(target, metadata)
    except moving.TargetNotEmpty as error:
        raise click.ClickException(str(error)) from error
    source = db.engine
    with source.connect() as connection:
        total = sum(moving.row_counts(connection, metadata).values())
    with tqdm(total=total, unit="row", disable=quiet, file=sys.stderr) as bar:
        copied = moving.copy_all(source, target, metadata, progress=bar.update)
    click.echo(f"{sum(copied.values())} rows copied in {len(copied)} tables; checking")
    return moving.check(source, target, metadata)


COMMANDS = (move_data_command,)
