"""Run a function in a forked child process under a memory and a CPU-time limit.

For work on untrusted files whose cost cannot be fully known in advance (a spreadsheet's
grid): a native library that runs out of memory aborts its process (Rust aborts on a failed
allocation, it does not raise), so the work runs in a child whose address space and CPU time
are capped, and only the child dies. The caller gets the function's result (pickled through a
pipe) or ``LimitExceeded``; exceptions the function raises come back as they are.

Linux (``fork``, ``/proc``): where ``os.fork`` is missing the function runs in the process.
"""

from __future__ import annotations

import faulthandler
import io
import os
import pickle
import resource
import select
import signal
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_READ = 1024 * 1024


class LimitExceeded(Exception):
    """The child went over a limit or died: ``kind`` is "memory" or "time"."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(kind, detail)
        self.kind, self.detail = kind, detail


def _address_space_in_use() -> int:
    """This process's virtual size in bytes (0 when /proc cannot tell)."""
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _set_limit(which: int, wanted: int) -> None:
    _soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(which, (wanted, hard))


def _dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    # Without the memo: a sheet's rows are plain trees (no object twice, no cycle), and
    # remembering each of their million values made pickling ten times slower.
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


def _child(write_fd: int, function: Callable[..., Any], args: tuple, memory: int, seconds: int):
    status = 0
    try:
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, signal.SIG_DFL)  # not the parent's (e.g. a worker's) handlers
        # A child killed by its limit (calamine aborts when an allocation fails) is the
        # expected outcome: no fatal-error stack dump of the parent's faulthandler in the logs.
        faulthandler.disable()
        # The child starts as a copy of the parent (its libraries, its threads' stacks): the
        # budget is on top of what it already maps.
        _set_limit(resource.RLIMIT_AS, _address_space_in_use() + memory)
        _set_limit(resource.RLIMIT_CPU, seconds + 1)
        try:
            payload: tuple[str, Any] = ("ok", function(*args))
        except MemoryError:
            payload = ("memory", None)
        except Exception as error:  # the function's own refusals go back to the caller
            payload = ("error", error)
        try:
            data = _dumps(payload)
        except MemoryError:
            data = pickle.dumps(("memory", None))
        except Exception:  # an exception that does not pickle
            data = pickle.dumps(("crash", traceback.format_exc()))
        with os.fdopen(write_fd, "wb") as out:
            out.write(data)
    except MemoryError:
        status = 3
    except BaseException:
        traceback.print_exc(file=sys.stderr)
        status = 1
    finally:
        os._exit(status)


def run_limited(function: Callable[..., T], *args: Any, memory_mb: int, seconds: float) -> T:
    """``function(*args)`` in a child process with ``memory_mb`` MB of address space on top of
    this process's and ``seconds`` of CPU (and of wall-clock time, counted here)."""
    if not hasattr(os, "fork"):
        return function(*args)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child ends in os._exit)
        os.close(read_fd)
        _child(write_fd, function, args, memory_mb * 1024 * 1024, max(1, int(seconds)))
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + seconds
    timed_out = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_fd], [], [], min(remaining, 1.0))
            if ready:
                chunk = os.read(read_fd, _READ)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_fd)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        raise LimitExceeded("time")
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
        raise LimitExceeded("time" if os.WTERMSIG(status) == signal.SIGXCPU else "memory")
    if not chunks or status != 0:
        # killed (SIGABRT from a failed native allocation, the kernel's OOM killer) or exited
        # without an answer: almost always memory
        raise LimitExceeded("memory", f"child status {status}")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "ok":
        return value
    if kind == "error":
        raise value
    if kind == "memory":
        raise LimitExceeded("memory")
    raise RuntimeError(f"limited child failed:\n{value}")
