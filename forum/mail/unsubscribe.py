"""Signed one-click unsubscribe links (RFC 8058): no sign-in needed, valid for one member."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

_SALT = "one-click-unsubscribe"


def unsubscribe_token(secret: str, list_name: str, email: str) -> str:
    return URLSafeSerializer(secret, salt=_SALT).dumps([list_name, email.lower()])


def read_unsubscribe_token(secret: str, token: str) -> tuple[str, str] | None:
    """(list name, address) from a token we signed, or None for anything else."""
    try:
        value = URLSafeSerializer(secret, salt=_SALT).loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        return None
    return value[0], value[1]


def unsubscribe_url(base_url: str, secret: str, list_name: str, email: str) -> str:
    return f"{base_url}/lists/{list_name}/unsubscribe/{unsubscribe_token(secret, list_name, email)}"
