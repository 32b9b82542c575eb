"""Mail commands: `forum smtpd`, `forum inject`, `forum worker`, `forum add-member`,
`forum inbound` (the queue and its failures)."""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType

import click
from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from forum.cli.arenas import limit_arenas
from forum.cli.policy import policy_command
from forum.extensions import db, session
from forum.lists.lists import find_list
from forum.lists.members import ROLES, add_member, on_list_domains
from forum.mail.inbound import enqueue_inbound, retry_failed
from forum.mail.routing import list_address
from forum.mail.server import start_server
from forum.models import InboundMessage
from forum.runner import run_worker
from forum.settings import Settings

EX_NOUSER = 67  # sysexits.h: the MTA bounces the message
EX_TEMPFAIL = 75  # sysexits.h: the MTA keeps it and tries again


def _app() -> Flask:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return app


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT end the process cleanly: queued work is kept, never half-done."""

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


@click.command("smtpd")
@click.option("--lmtp", is_flag=True, help="Speak LMTP (for an MTA's lmtp transport).")
@click.option("--host", help="Address to listen on (default: FORUM_SMTPD_HOST).")
@click.option("--port", type=int, help="Port (default: FORUM_SMTPD_PORT).")
def smtpd_command(lmtp: bool, host: str | None, port: int | None) -> None:
    """Receive mail over SMTP or LMTP and queue it for the worker."""
    stop = threading.Event()
    stop_on_signals(stop)
    controller = start_server(_app(), host, port, lmtp=lmtp)
    click.echo(f"{'LMTP' if lmtp else 'SMTP'} server: {controller.hostname}:{controller.port}")
    stop.wait()
    controller.stop()


@click.command("worker")
@click.option("--once", is_flag=True, help="Run one round and exit.")
def worker_command(once: bool) -> None:
    """Run the inbound pipeline and deliver queued mail."""
    limit_arenas()
    stop = threading.Event()
    stop_on_signals(stop)
    if once:
        stop.set()
        from forum.extensions import dmarc
        from forum.mail.delivery import transport_for
        from forum.runner import run_periodic, work_once

        settings: Settings = current_app.config["FORUM"]
        transport = transport_for(settings)
        try:
            taken, report = work_once(_app(), transport, dmarc())
            run_periodic(_app())
        finally:
            transport.close()
        click.echo(f"{taken} inbound processed; {report.sent} sent, {report.deferred} deferred")
        return
    run_worker(_app(), stop)


@click.command("inject")
@click.argument("list_name")
@click.option("--recipient", help="Address the mail was sent to (default: the posting address).")
@click.option("--sender", default="", help="Envelope sender.")
def inject_command(list_name: str, recipient: str | None, sender: str) -> None:
    """Queue a message read from standard input, as the SMTP server would."""
    raw = sys.stdin.buffer.read()
    try:
        mlist = find_list(session(), list_name)
        if mlist is None:
            click.echo(f"no list named {list_name!r}", err=True)
            sys.exit(EX_NOUSER)
        address = recipient or list_address(mlist.name, mlist.domain)
        queued = enqueue_inbound(session(), raw, sender, [address])
    except SQLAlchemyError as error:
        click.echo(f"temporary failure, try again later: {error}", err=True)
        sys.exit(EX_TEMPFAIL)
    click.echo(f"queued as {queued}")


LIST_DOMAIN_WARNING = (
    "{email} is on the lists' own domain: the MTA hands its mail back to the forum, which "
    "answers 550, so this member will never receive mail. Lists want a domain (or a "
    "subdomain, such as lists.example.edu.vn) of their own."
)


@click.command("add-member")
@click.argument("list_name")
@click.argument("email")
@click.option("--name", "display_name", default="")
@click.option("--role", type=click.Choice(ROLES), default="member")
def add_member_command(list_name: str, email: str, display_name: str, role: str) -> None:
    """Subscribe an address directly (no confirmation)."""
    mlist = find_list(session(), list_name)
    if mlist is None:
        raise click.UsageError(f"no list named {list_name!r}")
    _, created = add_member(session(), mlist, email, display_name, role)
    db.session.commit()
    click.echo(f"{email} {'added' if created else 'already a member'} ({role})")
    if on_list_domains(session(), [email]):
        click.echo(f"warning: {LIST_DOMAIN_WARNING.format(email=email)}", err=True)


@click.command("inbound")
@click.option("--retry", "retry_id", type=int, help="Put this failed message back in the queue.")
@click.option("--retry-all", is_flag=True, help="Put every failed message back in the queue.")
def inbound_command(retry_id: int | None, retry_all: bool) -> None:
    """List queued, held and failed inbound mail; retry failures."""
    if retry_id is not None or retry_all:
        count = retry_failed(session(), None if retry_all else retry_id)
        click.echo(f"{count} message(s) queued again")
        return
    query = (
        select(InboundMessage)
        .where(InboundMessage.state != "done")
        .order_by(InboundMessage.id)
        .limit(200)
    )
    for item in session().scalars(query):
        first_line = (item.error.strip().splitlines() or [item.outcome])[0]
        click.echo(f"{item.id:>6} {item.state:8} {item.received_at:%Y-%m-%d %H:%M} {first_line}")


COMMANDS = (
    policy_command,
    smtpd_command,
    worker_command,
    inject_command,
    add_member_command,
    inbound_command,
)
