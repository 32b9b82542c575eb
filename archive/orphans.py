"""Children that die with their parent: a helper process waiting for work that will never
come would otherwise outlive a killed command."""

from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a child gets when its parent dies


def die_with_parent(parent: int) -> None:
    """In the child, on Linux: killed when the process `parent` dies, however it dies.
    Elsewhere, nothing (the child ends when its parent closes its end of the work)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
