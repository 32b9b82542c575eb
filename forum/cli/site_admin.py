"""Site commands: `forum init` (schema and presets), `forum create-list`, `forum serve` (web,
SMTP and worker together) and `forum web`; the mail commands live in forum.cli.mail."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click
from flask import Flask, current_app

from forum.accounts.accounts import ensure_admin, find_account, set_password
from forum.cli.arenas import limit_arenas
from forum.cli.import_mbox import import_mbox_command
from forum.cli.mail import COMMANDS
from forum.cli.mbox import export_mbox_command, repair_dates_command
from forum.cli.migrations import database_commands, upgrade_schema
from forum.cli.move import COMMANDS as MOVE_COMMANDS
from forum.cli.search import COMMANDS as SEARCH_COMMANDS
from forum.cli.search import upgrade_search_index
from forum.extensions import db, session
from forum.lists.lists import ListError, ListSpec, ensure_list
from forum.lists.presets import PRESETS
from forum.mail.server import start_server
from forum.runner import run_worker
from forum.settings import Settings
from forum.site_settings import remember_domain


def register(app: Flask) -> None:
    commands = (init_command, create_list_command, set_password_command, serve_command, web_command)
    for command in (*commands, *COMMANDS, *SEARCH_COMMANDS, *MOVE_COMMANDS):
        app.cli.add_command(command)
    app.cli.add_command(import_mbox_command)
    app.cli.add_command(export_mbox_command)
    app.cli.add_command(repair_dates_command)
    app.cli.add_command(database_commands)


@click.command("init")
@click.option("--preset", type=click.Choice(sorted(PRESETS)), help="Create a preset's lists.")
@click.option("--domain", help="Mail domain of the preset's lists (default: FORUM_DOMAIN).")
def init_command(preset: str | None, domain: str | None) -> None:
    """Create or upgrade the database, and optionally a preset's lists."""
    upgrade_schema()
    settings: Settings = current_app.config["FORUM"]
    if domain or settings.domain_given:  # later commands use it without FORUM_DOMAIN
        remember_domain(session(), domain or settings.domain)
    for spec in PRESETS.get(preset or "", ()):
        mlist, created = ensure_list(session(), spec, domain or settings.domain)
        state = "created" if created else "exists"
        click.echo(f"{mlist.posting_address:40} {state}")
    admin_email = settings.admin_email or f"admin@{(domain or settings.domain).lower()}"
    admin, created = ensure_admin(session(), admin_email)
    db.session.commit()
    click.echo("database ready")
    upgrade_search_index()
    if created or not admin.password_hash:
        click.echo(
            f"site admin: {admin.email} (set a password with: forum set-password {admin.email})"
        )


@click.command("set-password")
@click.argument("email")
def set_password_command(email: str) -> None:
    """Set the password of an account (the site admin's emergency access)."""
    account = find_account(session(), email)
    if account is None:
        raise click.UsageError(f"no account for {email}")
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        set_password(account, password)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    db.session.commit()
    click.echo(f"password set for {account.email}")


@click.command("create-list")
@click.argument("name")
@click.option("--domain", help="Mail domain (default: FORUM_DOMAIN).")
@click.option("--display-name", default="", help="Human name of the list.")
@click.option("--description", default="")
@click.option("--alias", "aliases", multiple=True, help="Extra join address local part.")
def create_list_command(
    name: str, domain: str | None, display_name: str, description: str, aliases: tuple[str, ...]
) -> None:
    """Create a list."""
    settings: Settings = current_app.config["FORUM"]
    spec = ListSpec(name, display_name or name, description, aliases)
    try:
        mlist, created = ensure_list(session(), spec, domain or settings.domain)
    except ListError as error:
        raise click.UsageError(str(error)) from error
    db.session.commit()
    click.echo(f"{mlist.posting_address} {'created' if created else 'exists'}")


def _run_web(host: str | None, port: int | None) -> None:
    """Serve the web archive with waitress until SIGINT or SIGTERM."""
    from waitress.server import create_server

    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    settings: Settings = app.config["FORUM"]
    server = create_server(
        app,
        host=host or settings.web_host,
        port=port or settings.web_port,
        threads=settings.web_threads,
        ident="forum",
    )
    click.echo(f"web archive: http://{host or settings.web_host}:{server.effective_port}/")
    signal.signal(signal.SIGTERM, _interrupt)
    server.run()  # returns once interrupted, after its requests in progress


@click.command("web")
@click.option("--host", help="Address to listen on (default: FORUM_WEB_HOST).")
@click.option("--port", type=int, help="Port (default: FORUM_WEB_PORT).")
def web_command(host: str | None, port: int | None) -> None:
    """Run only the web archive (waitress; any WSGI server can also serve wsgi:app)."""
    limit_arenas()
    _run_web(host, port)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@click.command("serve")
@click.option("--host", help="Address to listen on (default: FORUM_WEB_HOST).")
@click.option("--port", type=int, help="Port (default: FORUM_WEB_PORT).")
def serve_command(host: str | None, port: int | None) -> None:
    """Run web, SMTP server and delivery worker in one process (the embedded default)."""
    limit_arenas()
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    settings: Settings = app.config["FORUM"]
    controller = start_server(app)
    click.echo(f"SMTP server: {settings.smtpd_host}:{settings.smtpd_port}")
    if settings.smtp_url:
        click.echo(f"outgoing mail: {settings.smtp_url}")
    else:
        click.echo(f"outgoing mail: written to {settings.maildir} (no FORUM_SMTP_URL)")
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(app, stop), name="worker")
    worker.start()
    try:
        _run_web(host, port)
    finally:
        stop.set()
        controller.stop()
        worker.join()
        click.echo("stopped; queued mail is kept for the next start")
