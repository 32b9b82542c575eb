"""Which list and which action an address means (Mailman 3's address conventions).

`LIST@` posts, `LIST-join@` / `LIST-subscribe@` and aliases such as `dangky-THPT@` join,
`LIST-leave@` / `LIST-unsubscribe@` leave, `LIST-request@` takes commands, `LIST-confirm+TOKEN@`
confirms, `LIST-bounces[+VERP]@` takes bounces, `LIST-owner@` reaches the owners, and the site's
no-reply address takes replies to confirmations. Local parts are case-insensitive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Action = Literal["post", "join", "leave", "request", "confirm", "bounces", "owner", "noreply"]

_SUFFIXES: dict[str, Action] = {
    "join": "join",
    "subscribe": "join",
    "leave": "leave",
    "unsubscribe": "leave",
    "request": "request",
    "confirm": "confirm",
    "bounces": "bounces",
    "owner": "owner",
}
_TAGGED: frozenset[Action] = frozenset({"confirm", "bounces"})  # may carry "+something"


@dataclass(frozen=True, slots=True)
class Route:
    action: Action
    list_name: str | None  # None for the site's no-reply address
    tag: str = ""  # the "+TOKEN" of confirm, the VERP part of bounces, as written


@dataclass(frozen=True, slots=True)
class AddressBook:
    """The addresses the site answers to: list names per domain, aliases, the no-reply one."""

    lists: frozenset[tuple[str, str]]  # (name, domain)
    aliases: dict[tuple[str, str], str] = field(default_factory=dict)  # (local, domain) -> list
    noreply: str = ""


def split_address(address: str) -> tuple[str, str]:
    """(local part, domain), both lowercased for lookup; the local part keeps its "+tag"."""
    local, at, domain = address.strip().strip("<>").rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"not an address: {address!r}")
    return local.lower(), domain.lower().rstrip(".")


def route(address: str, book: AddressBook) -> Route | None:
    """The route for one recipient address, or None if nobody here answers to it."""
    try:
        local, domain = split_address(address)
    except ValueError:
        return None
    if f"{local}@{domain}" == book.noreply.lower():
        return Route("noreply", None)
    if (local, domain) in book.lists:
        return Route("post", local)
    alias = book.aliases.get((local, domain))
    if alias is not None:
        return Route("join", alias)
    return _suffixed(local, domain, address, book)


def _suffixed(local: str, domain: str, address: str, book: AddressBook) -> Route | None:
    """`LIST-suffix[+tag]`: the list's command and bounce addresses."""
    base, plus, _ = local.partition("+")
    name, dash, suffix = base.rpartition("-")
    action = _SUFFIXES.get(suffix) if dash else None
    if action is None or (name, domain) not in book.lists or (plus and action not in _TAGGED):
        return None
    original_tag = address.strip().strip("<>").rpartition("@")[0].partition("+")[2]
    return Route(action, name, original_tag if plus else "")


def list_address(name: str, domain: str, action: Action = "post", tag: str = "") -> str:
    """The inverse of `route` for list addresses."""
    local = name if action == "post" else f"{name}-{action}"
    return f"{local}{'+' + tag if tag else ''}@{domain}"
