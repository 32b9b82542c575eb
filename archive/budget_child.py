"""The child side of archive.budget.run_limited (set the limits, run one step, report) and of
archive.kept_child.run_kept (`--serve`: the same for each framed input on stdin, until EOF)."""

from __future__ import annotations

import importlib
import os
import resource
import sys
from collections.abc import Callable

from archive.budget import DONE, FRAME, MIB, OVER_BUDGET, REFUSED, OverBudget


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    """Address space and CPU time are capped by the kernel (the parent also times the wall)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def _target(spec: str) -> Callable[[bytes], bytes]:
    module, _, name = spec.partition(":")
    function: Callable[[bytes], bytes] = getattr(importlib.import_module(module), name)
    return function


def main() -> int:
    memory, output, cpu = (int(part) for part in os.environ["FORUM_CHILD_LIMITS"].split(","))
    if sys.argv[1] == "--serve":
        return _serve(_target(sys.argv[2]), memory, output)
    function = _target(sys.argv[1])  # imported before the limits: imports are not the input's
    data = sys.stdin.buffer.read()
    _limit(memory, cpu)
    sys.stdout.buffer.write(_answer(function, data, memory, output))
    sys.stdout.buffer.flush()
    return 0


def _serve(function: Callable[[bytes], bytes], memory: int, output: int) -> int:
    """Answer framed inputs until stdin closes. Memory is capped for the child's life; time is
    the parent's to watch (it kills a call past its budget), as CPU time would add up here."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while len(head := source.read(FRAME)) == FRAME:
        data = source.read(int.from_bytes(head, "big"))
        answer = _answer(function, data, memory, output)
        sink.write(len(answer).to_bytes(FRAME, "big") + answer)
        sink.flush()
    return 0


def _answer(function: Callable[[bytes], bytes], data: bytes, memory: int, output: int) -> bytes:
    try:
        result = DONE + function(data)
        if len(result) > output:
            result = OVER_BUDGET + f"gives more than {output // MIB} MiB of output".encode()
    except OverBudget as error:
        result = OVER_BUDGET + error.reason.encode("utf-8", "replace")
    except RecursionError:  # user data nested deeper than the interpreter's stack
        result = OVER_BUDGET + b"nests too deeply"
    except MemoryError:
        result = OVER_BUDGET + f"needs more than {memory // MIB} MiB".encode()
    except ValueError as error:  # the step's way of saying the input is not what it reads
        result = REFUSED + str(error).encode("utf-8", "replace")
    return result


if __name__ == "__main__":
    sys.exit(main())
