"""Steps for archive.budget's child process that go past their limits on purpose."""

from __future__ import annotations

import time


def allocate(data: bytes) -> bytes:
    """Asks for as many MiB as `data` says."""
    block = bytearray(int(data) * 1024 * 1024)
    return str(len(block) // (1024 * 1024)).encode()


def sleep(data: bytes) -> bytes:
    time.sleep(float(data))
    return b"woke"
