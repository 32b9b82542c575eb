"""Signed "mute this topic" links: no sign-in needed, valid for one member and one thread."""

from __future__ import annotations

import functools

from itsdangerous import BadSignature, URLSafeSerializer

_SALT = "mute-topic"
HEADER = "X-Mute-Topic"


@functools.lru_cache(maxsize=4)
def _serializer(secret: str) -> URLSafeSerializer:
    """One signer per site secret (made once, not once a copy)."""
    return URLSafeSerializer(secret, salt=_SALT)


def mute_token(secret: str, thread_id: int, email: str) -> str:
    return _serializer(secret).dumps([thread_id, email.lower()])


def read_mute_token(secret: str, token: str) -> tuple[int, str] | None:
    """(thread id, address) from a token we signed, or None for anything else."""
    try:
        value = _serializer(secret).loads(token)
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
