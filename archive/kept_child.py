"""A confined step in a child process that is kept between calls.

`run_limited` starts a new interpreter for every call: right for a rare, heavy step (an
attachment, a DOCX), too slow for one that runs on many messages (sanitising large HTML: the
start costs more than the work). `run_kept` sends each input to one long-lived child per step
and process, under the same limits: a memory cap for the child's life, and the wall-clock
budget per call; a call over its time is answered OverBudget and the child is killed (the next
call starts a new one). Calls to one step are taken one at a time.
"""

from __future__ import annotations

import atexit
import os
import select
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import IO

from archive.budget import ARCHIVE_PARENT, FRAME, Limits, OverBudget, child_outcome, limits_env


@dataclass
class _Child:
    target: str
    limits: Limits
    lock: threading.Lock = field(default_factory=threading.Lock)
    process: subprocess.Popen[bytes] | None = None
    owner: int = 0  # the pid that started it: a forked process starts its own

    def call(self, data: bytes) -> bytes:
        with self.lock:
            process = self._running()
            try:
                return self._ask(process, data)
            except BaseException:
                self.stop()
                raise

    def _running(self) -> subprocess.Popen[bytes]:
        if self.process is None or self.process.poll() is not None or self.owner != os.getpid():
            command = [sys.executable, "-m", "archive.budget_child", "--serve", self.target]
            environment = {
                **os.environ,
                "PYTHONPATH": ARCHIVE_PARENT,
                "FORUM_CHILD_LIMITS": limits_env(self.limits),
            }
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=environment,
            )
            self.owner = os.getpid()
        return self.process

    def _ask(self, process: subprocess.Popen[bytes], data: bytes) -> bytes:
        into, out_of = _pipes(process)
        into.write(len(data).to_bytes(FRAME, "big") + data)
        into.flush()
        deadline = time.monotonic() + self.limits.seconds
        size = int.from_bytes(_read(out_of, FRAME, deadline, self.limits), "big")
        answer = _read(out_of, size, deadline, self.limits)
        return child_outcome(0, answer, b"", self.limits)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _pipes(process: subprocess.Popen[bytes]) -> tuple[IO[bytes], IO[bytes]]:
    if process.stdin is None or process.stdout is None:
        raise RuntimeError("a kept child without pipes")
    return process.stdin, process.stdout


def _read(out_of: IO[bytes], size: int, deadline: float, limits: Limits) -> bytes:
    descriptor = out_of.fileno()
    chunks: list[bytes] = []
    wanted = size
    while wanted:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([descriptor], [], [], left)[0]:
            raise OverBudget(f"took longer than {limits.seconds:g} s")
        chunk = os.read(descriptor, min(wanted, 1 << 20))
        if not chunk:  # the child died: out of memory, most likely
            raise OverBudget(f"needs more than {limits.memory_bytes >> 20} MiB or too much time")
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


_children: dict[str, _Child] = {}
_children_lock = threading.Lock()


def run_kept(target: str, data: bytes, limits: Limits) -> bytes:
    """Call `target` ("package.module:function", bytes -> bytes) on `data` in this process's
    kept child for it; raises as `run_limited` does."""
    with _children_lock:
        child = _children.get(target)
        if child is None:
            child = _children[target] = _Child(target, limits)
    return child.call(data)


@atexit.register
def stop_children() -> None:
    """Stop every kept child (at exit; tests call it to leave no process behind)."""
    with _children_lock:
        for child in _children.values():
            with child.lock:
                child.stop()
