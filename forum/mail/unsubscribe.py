"""Signed one-click unsubscribe links (RFC 8058): no sign-in needed, valid for one member."""

from __future__ import annotations

import functools

from itsdangerous import BadSignature, URLSafeSerializer

_SALT = "one-click-unsubscribe"


@functools.lru_cache(maxsize=4)
def _serializer(secret: str) -> URLSafeSerializer:
    """One signer per site secret (made once, not once a copy)."""
    return URLSafeSerializer(secret, salt=_SALT)


def unsubscribe_token(secret: str, list_name: str, email: str) -> str:
    return _serializer(secret).dumps([list_name, email.lower()])


def read_unsubscribe_token(secret: str, token: str) -> tuple[str, str] | None:
    """(list name, address) from a token we signed, or None for anything else."""
    try:
        value = _serializer(secret).loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        return None
    return value[0], value[1]


def unsubscribe_url(base_url: str, secret: str, list_name: str, email: str) -> str:
    return f"{base_url}/lists/{list_name}/unsubscribe/{unsubscribe_token(secret, list_name, email)}"
