"""Hide email addresses from anonymous readers (and the harvesters among them)."""

from __future__ import annotations

import re

_ADDRESS = re.compile(r"([A-Za-z0-9._%+\-=]+)@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")


def obfuscate_address(address: str) -> str:
    """`nguyen.van.a@example.edu.vn` -> `ngu…@example.edu.vn` (Google Groups' style)."""
    local, _, domain = address.partition("@")
    if not domain:
        return address
    return f"{local[:3]}…@{domain}"


def obfuscate_text(text: str) -> str:
    """Every address inside free text, obfuscated."""
    return _ADDRESS.sub(lambda m: f"{m.group(1)[:3]}…@{m.group(2)}", text)
