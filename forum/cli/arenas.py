"""Fewer C heaps for the long-running, threaded commands (`serve`, `web`, `worker`).

glibc gives a thread that meets another in malloc a heap (arena) of its own, up to eight per
core, and each heap keeps the memory it once held: with waitress's eight threads, each kept
the high-water mark of the largest page or search it had built (162 MiB after 1,000 mixed
requests, 140 with two heaps). An operator's own MALLOC_ARENA_MAX stands.
"""

from __future__ import annotations

import ctypes
import os

M_ARENA_MAX = -8  # glibc's mallopt parameter for the most arenas
ARENAS = 2


def limit_arenas(count: int = ARENAS) -> bool:
    """Ask the C library for at most `count` heaps; False where it is not glibc or where
    MALLOC_ARENA_MAX is set."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own C library
    except (OSError, AttributeError):  # not a glibc system
        return False
    return bool(mallopt(M_ARENA_MAX, count) == 1)
