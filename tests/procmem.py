"""Peak resident memory of a command and the processes it started (a crawl runs its item
pipelines in a child process): read from /proc while they run, as VmHWM survives no exit."""

from __future__ import annotations

import contextlib
from pathlib import Path


def descendants(pid: int) -> list[int]:
    """The process and every live process below it."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError, ValueError):  # the task ended while we looked
                todo += [int(child) for child in task.read_text().split()]
    return found


def vmhwm_kb(pid: int) -> int:
    """One process's peak resident memory so far (0 once it is gone or a zombie)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


class PeakMemory:
    """Poll with `update()`; `kb` is the largest sum of the peaks of the process tree seen. A
    child's peak is remembered after it exits, so the sum never forgets a finished child."""

    def __init__(self, pid: int):
        self.pid = pid
        self._peaks: dict[int, int] = {}

    def update(self) -> None:
        for pid in descendants(self.pid):
            self._peaks[pid] = max(self._peaks.get(pid, 0), vmhwm_kb(pid))

    @property
    def kb(self) -> int:
        return sum(self._peaks.values())
