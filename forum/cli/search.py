"""`forum reindex`: rebuild the search index from the database, with a progress bar."""

from __future__ import annotations

import sys

import click
from flask import current_app
from sqlalchemy import func, select
from tqdm import tqdm

from archive.models import Attachment, Message
from forum.extensions import session
from forum.lists.lists import ListError, find_list
from forum.search.attachments import reextract
from forum.search.indexing import (
    BackendUnavailable,
    index_place,
    outdated_index,
    reindex,
)
from forum.settings import Settings
from search_index.indexer import IndexBusy
from search_index.schema import SCHEMA_VERSION


@click.command("reindex")
@click.option("--list", "list_name", help="Only this list's messages.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--keep-attachment-text", is_flag=True, help="Index the stored attachment text, unread."
)
def reindex_command(list_name: str | None, quiet: bool, keep_attachment_text: bool) -> None:
    """Read attachments' text again and rebuild the search index from the database (searches
    keep working meanwhile)."""
    settings: Settings = current_app.config["FORUM"]
    if not keep_attachment_text:
        _reextract(settings, list_name, quiet)
    total = None if quiet else _message_count(list_name)
    with tqdm(total=total, unit="msg", disable=quiet, file=sys.stderr) as bar:
        try:
            count = reindex(session(), settings, list_name, progress=bar.update)
        except (ListError, BackendUnavailable) as error:
            raise click.UsageError(str(error)) from error
        except IndexBusy as error:
            raise click.ClickException(
                "the search index is being written by another process; try again"
            ) from error
    click.echo(f"{count} messages indexed in {index_place(settings)}")


def upgrade_search_index() -> None:
    """After an upgrade whose analysis changed (`forum init` runs it): rebuild an index of an
    older version at once, rather than let searches miss messages until the worker refills."""
    settings: Settings = current_app.config["FORUM"]
    old = outdated_index(session(), settings)
    if old is None:
        return
    click.echo(
        f"search index is of version {old}, this release reads version {SCHEMA_VERSION}: "
        "rebuilding it from the archive"
    )
    try:
        count = reindex(session(), settings)
    except IndexBusy:
        click.echo("the search index is being written by another process: run `forum reindex`")
        return
    click.echo(f"{count} messages indexed in {index_place(settings)}")


def _reextract(settings: Settings, list_name: str | None, quiet: bool) -> None:
    list_id = None
    if list_name is not None:
        mlist = find_list(session(), list_name)
        if mlist is None:
            raise click.UsageError(f"no list named {list_name!r}")
        list_id = mlist.id
    total = None if quiet else _attachment_count(list_id)
    with tqdm(total=total, unit="file", disable=quiet, file=sys.stderr) as bar:
        count = reextract(session(), settings, list_id, progress=bar.update)
    click.echo(f"{count} attachments read")


def _attachment_count(list_id: int | None) -> int | None:
    query = select(func.count(Attachment.id))
    if list_id is not None:
        query = query.join(Message, Message.id == Attachment.message_pk)
        query = query.where(Message.list_id == list_id)
    return session().scalar(query)


def _message_count(list_name: str | None) -> int | None:
    query = select(func.count(Message.id))
    if list_name is not None:
        mlist = find_list(session(), list_name)
        if mlist is None:
            return None
        query = query.where(Message.list_id == mlist.id)
    return session().scalar(query)


COMMANDS = (reindex_command,)
