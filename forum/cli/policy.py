"""`forum policy LIST [KEY VALUE]`: show or change a list's settings (hold rules, decoration)."""

from __future__ import annotations

import click

from forum.extensions import db, session
from forum.lists.lists import find_list
from forum.models import ListPolicy
from forum.policy import NAMES, snapshot

ALIASES = {"confidentiality": "hold_confidential"}  # forum policy thpt confidentiality off
CHOICES = {
    "posting": ("open", "members", "announce"),
    "nonmember_action": ("hold", "reject", "discard"),
    "dmarc_munge": ("auto", "always", "never"),
    "unsubscribe_footer": ("auto", "on", "off"),
}


def _converted(key: str, value: str, current: object) -> object:
    if key in CHOICES and value not in CHOICES[key]:
        raise click.UsageError(f"{key} must be one of {', '.join(CHOICES[key])}")
    if isinstance(current, bool):
        if value.lower() not in ("yes", "no", "on", "off", "true", "false", "1", "0"):
            raise click.UsageError(f"{key} takes on or off")
        return value.lower() in ("yes", "on", "true", "1")
    if isinstance(current, int):
        return int(value)
    if isinstance(current, float):
        return float(value)
    if "\r" in value:
        raise click.UsageError("no carriage returns")
    return value.replace("\\n", "\n")


@click.command("policy")
@click.argument("list_name")
@click.argument("key", required=False)
@click.argument("value", required=False)
def policy_command(list_name: str, key: str | None, value: str | None) -> None:
    """Show a list's settings, or set KEY to VALUE (e.g. `forum policy thpt posting announce`)."""
    mlist = find_list(session(), list_name)
    if mlist is None:
        raise click.UsageError(f"no list named {list_name!r}")
    key = ALIASES.get(key, key) if key else key
    row = session().get(ListPolicy, mlist.id)
    current = snapshot(row)
    if key is None:
        for name in NAMES:
            click.echo(f"{name} = {getattr(current, name)!r}")
        return
    if key not in NAMES or value is None:
        raise click.UsageError(f"KEY is one of: {', '.join(NAMES)}; VALUE is required")
    policy = row or ListPolicy(list_id=mlist.id, **{n: getattr(current, n) for n in NAMES})
    try:
        setattr(policy, key, _converted(key, value, getattr(policy, key)))
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    session().merge(policy)
    db.session.commit()
    click.echo(f"{mlist.name}: {key} = {getattr(policy, key)!r}")
