"""Leaving the process when a command is done, without the interpreter's teardown.

Python's own exit frees every module one by one: a quarter of a second after any `forum`
command, since the application imports Flask, SQLAlchemy, flanker, lxml and Whoosh (more than
a fifth of an `import-mbox` of a year of mail). Once the command has returned, its work is
committed and closed; what the interpreter would still do that matters is run the exit
handlers (logging's flush, temporary folders, multiprocessing's) and flush standard output.
`leave` does those and ends the process. Where a thread that is not a daemon still runs, or
a child process of multiprocessing, it leaves as Python does, which waits for them.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import sys
import threading
from typing import NoReturn

BROKEN_PIPE = 120  # what Python exits with when it cannot flush standard output at exit


def leave(code: object) -> NoReturn:
    """Exit with `code`, as `sys.exit(code)` would, quickly where nothing is left running."""
    if not _alone():
        raise SystemExit(code)
    atexit._run_exitfuncs()  # the handlers the interpreter would run on its way out
    status = exit_status(code)
    if not _flushed():
        status = status or BROKEN_PIPE
    os._exit(status)


def exit_status(code: object) -> int:
    """The status `SystemExit(code)` ends a process with; any other value than None or a
    number is written to standard error, and the status is 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _alone() -> bool:
    """Only daemon threads beside this one, and no child process of multiprocessing."""
    others = (thread for thread in threading.enumerate() if thread is not threading.main_thread())
    return threading.current_thread() is threading.main_thread() and (
        all(thread.daemon for thread in others) and not multiprocessing.active_children()
    )


def _flushed() -> bool:
    flushed = True
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe, or a stream closed already
            flushed = False
    return flushed
