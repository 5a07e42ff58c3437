"""Work that writes files, done in a forked child while this process goes on, or here.

A run with more than one job has a second core: parts of a version that depend only on what is
already in memory or on disk (the report's observations, the facts' CSV files) are written by a
forked copy of the run while the run does the rest. Without fork, with one job, or if the child
fails, the caller does the work itself.
"""

from __future__ import annotations

import os
import signal
from typing import Callable

from .dataset.store import release_inherited_lock


class Forked:
    """`work()` started in a forked child when `parallel` (and the system can fork)."""

    def __init__(self, work: Callable[[], None], parallel: bool):
        self.pid = None
        if parallel and hasattr(os, "fork"):
            self.pid = os.fork()
            if self.pid == 0:  # the child: do the work and leave at once, without the parent's cleanup
                code = 1
                try:
                    release_inherited_lock()  # a killed run must not leave its lock held
                    work()
                    code = 0
                finally:
                    os._exit(code)

    def join(self) -> bool:
        """Wait for the child; whether it did the work (if not, the caller does it)."""
        if self.pid is None:
            return False
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        return os.waitstatus_to_exitcode(status) == 0

    def cancel(self) -> None:
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = None
