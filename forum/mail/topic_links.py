"""Signed "mute this topic" links: no sign-in needed, valid for one member and one thread."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

_SALT = "mute-topic"
HEADER = "X-Mute-Topic"


def mute_token(secret: str, thread_id: int, email: str) -> str:
    return URLSafeSerializer(secret, salt=_SALT).dumps([thread_id, email.lower()])


def read_mute_token(secret: str, token: str) -> tuple[int, str] | None:
    """(thread id, address) from a token we signed, or None for anything else."""
    try:
        value = URLSafeSerializer(secret, salt=_SALT).loads(token)
    except BadSignature:
        return None
    if not (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and isinstance(value[1], str)
    ):
        return None
    return value[0], value[1]


def mute_url(base_url: str, secret: str, thread_id: int, email: str) -> str:
    return f"{base_url}/topics/mute/{mute_token(secret, thread_id, email)}"


def mute_footer_line(url: str, vietnamese: str, english: str) -> str:
    """The copy's footer line (kept apart so that it can join a list's footer block)."""
    label = vietnamese if vietnamese == english else f"{vietnamese} / {english}"
    return f"{label}: {url}"
