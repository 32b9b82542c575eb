"""Budgets for work on untrusted content: the OverBudget error, and running a step in a child
process with limits on time, memory and output, so one hostile input cannot stall a worker."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024
# The child's first output byte says how it ended; the rest is the result or the reason.
DONE, OVER_BUDGET, REFUSED = b"0", b"1", b"2"
FRAME = 8  # bytes of length before each input and answer of a kept child
ARCHIVE_PARENT = str(Path(__file__).resolve().parent.parent)


class OverBudget(Exception):
    """A step would take more time, memory or size than its budget; `reason` says which.

    Callers keep the input (nothing stored is lost) and record the reason: a message whose
    step is over budget can be marked failed with it instead of being taken again."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Limits:
    """What one confined step may use: wall-clock seconds, address space, output size."""

    seconds: float = 10.0
    memory_bytes: int = 512 * MIB
    output_bytes: int = 64 * MIB


def run_limited(target: str, data: bytes, limits: Limits) -> bytes:
    """Call `target` ("package.module:function", bytes -> bytes) on `data` in a child process.

    Raises OverBudget when the child runs out of time or memory or its target raised
    OverBudget, and ValueError with the target's message when it raised ValueError."""
    command = [sys.executable, "-m", "archive.budget_child", target]
    environment = {
        **os.environ,
        "PYTHONPATH": ARCHIVE_PARENT,
        "FORUM_CHILD_LIMITS": limits_env(limits),
    }
    try:
        finished = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            command,
            input=data,
            capture_output=True,
            timeout=limits.seconds,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise OverBudget(f"took longer than {limits.seconds:g} s") from error
    return child_outcome(finished.returncode, finished.stdout, finished.stderr, limits)


def limits_env(limits: Limits) -> str:
    return f"{limits.memory_bytes},{limits.output_bytes},{max(int(limits.seconds) + 1, 1)}"


def child_outcome(code: int, out: bytes, err: bytes, limits: Limits) -> bytes:
    status, body = out[:1], out[1:]
    if code == 0 and status == DONE:
        return body
    if status == OVER_BUDGET:
        raise OverBudget(body.decode("utf-8", "replace"))
    if status == REFUSED:
        raise ValueError(body.decode("utf-8", "replace"))
    if code < 0 or b"MemoryError" in err:  # killed by the CPU limit, or out of memory
        raise OverBudget(f"needs more than {limits.memory_bytes // MIB} MiB or too much time")
    tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
    raise RuntimeError(f"confined step {code}: {tail[0][:300]}")
