"""Where a redirect may send the browser: a path on this site, checked by parsing."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

MAX_TARGET_CHARS = 2000
# Control characters (browsers drop tab, CR and LF, so "/\t/evil" means "//evil"), C1 controls,
# and the backslash (browsers read "/\evil" as "//evil").
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")
_DECODING_ROUNDS = 3  # "%252F" is "%2F" after one round: each round must stay local


def local_target(value: str | None, fallback: str = "/") -> str:
    """`value` when it is a path on this site: one leading "/", no scheme, no host, and no
    control character or backslash, before or after percent-decoding; else `fallback`."""
    if not value or len(value) > MAX_TARGET_CHARS:
        return fallback
    decoded = value
    for _round in range(_DECODING_ROUNDS):
        if not _is_local_path(decoded):
            return fallback
        decoded = unquote(decoded)
    return value if _is_local_path(decoded) else fallback


def _is_local_path(value: str) -> bool:
    if _UNSAFE.search(value) or not value.startswith("/") or value.startswith("//"):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc
