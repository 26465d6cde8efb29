"""Keep a set of child processes running: `wenku serve` (web, worker, beat) and
`wenku worker --beat` (worker, beat).

A child that exits is started again after a pause that doubles from one second up to
a minute (back to one second once it has stayed up for a minute), and each exit is
logged with its status. Nothing a child does stops the others: a crashed worker never
takes the web server down. Children die with the supervisor even when it is killed
outright (PR_SET_PDEATHSIG), so a restart never finds a second scheduler running.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field

logger = logging.getLogger("wenku.supervisor")

PR_SET_PDEATHSIG = 1
FIRST_BACKOFF = 1.0
MAX_BACKOFF = 60.0
STABLE_AFTER = 60.0
STOP_GRACE = 20.0


def _die_with_parent() -> None:  # runs in the child between fork and exec
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    """One supervised command line."""

    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    backoff: float = FIRST_BACKOFF
    next_start: float = 0.0
    restarts: int = 0
    exits: list[int] = field(default_factory=list)
    # Added to the child's CPU niceness: background work (conversions) yields the
    # processor to the web server on a shared machine.
    nice: int = 0

    def _prepare(self) -> None:
        _die_with_parent()
        if self.nice:
            os.nice(self.nice)

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, preexec_fn=self._prepare)
        self.started_at = time.monotonic()
        logger.info("started %s (pid %s)", self.name, self.process.pid)


class Supervisor:
    """Start the children, restart the ones that exit, stop them all on a signal."""

    def __init__(self, children: list[Child]) -> None:
        self.children = children
        self.stopping = False

    def _on_signal(self, signum: int, frame: object) -> None:
        self.stopping = True

    def run(self, poll: float = 0.5) -> int:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        for child in self.children:
            child.start()
        try:
            while not self.stopping:
                self.tend(time.monotonic())
                time.sleep(poll)
        finally:
            self.stop()
        return 0

    def tend(self, now: float) -> None:
        """Note exits and start children whose pause is over."""
        for child in self.children:
            if child.process is not None and child.process.poll() is not None:
                code = child.process.returncode
                child.exits.append(code)
                if now - child.started_at >= STABLE_AFTER:
                    child.backoff = FIRST_BACKOFF
                child.next_start = now + child.backoff
                logger.error(
                    "%s exited with status %s; restarting in %.0f s",
                    child.name,
                    code,
                    child.backoff,
                )
                child.backoff = min(child.backoff * 2, MAX_BACKOFF)
                child.process = None
            if child.process is None and now >= child.next_start:
                child.restarts += 1 if child.exits else 0
                child.start()

    def stop(self) -> None:
        live = [
            (child.name, child.process)
            for child in self.children
            if child.process is not None and child.process.poll() is None
        ]
        for _, process in live:
            process.terminate()
        deadline = time.monotonic() + STOP_GRACE
        for name, process in live:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("%s did not stop in time; killing it", name)
                process.kill()
                process.wait()
