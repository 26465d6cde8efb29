"""Counters kept in memory and written in batches: no write per read.

A ``Tally`` adds up events (a view, a search) in this process; a daemon thread writes
them every ``settings.VIEW_FLUSH_SECONDS`` through its ``write`` function (one call
with the whole batch), and at exit. A batch that fails to write is kept for the next
flush. ``VIEW_FLUSH_SECONDS = 0`` writes every event at once (tests that count
exactly). A process killed outright loses at most one interval.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections import Counter
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)


class Tally(Generic[K]):
    def __init__(self, name: str, write: Callable[[dict[K, int]], None]) -> None:
        self.name = name
        self._write = write
        self._lock = threading.Lock()
        self._pending: Counter[K] = Counter()
        self._flusher_pid = 0  # a forked child starts a thread of its own
        atexit.register(self.flush)

    def add(self, key: K, count: int = 1) -> None:
        if settings.VIEW_FLUSH_SECONDS <= 0:
            self._write({key: count})
            return
        with self._lock:
            self._pending[key] += count
        if self._flusher_pid != os.getpid():
            self._start_flusher()

    def flush(self) -> int:
        """Write what this process counted; how many events were written."""
        with self._lock:
            batch = dict(self._pending)
            self._pending.clear()
        if not batch:
            return 0
        try:
            self._write(batch)
        except Exception:  # the database is away: keep them for the next flush
            logger.exception("%s not written; kept for the next flush", self.name)
            with self._lock:
                self._pending.update(batch)
            return 0
        return sum(batch.values())

    def _start_flusher(self) -> None:
        with self._lock:
            if self._flusher_pid == os.getpid():
                return
            self._flusher_pid = os.getpid()
        threading.Thread(
            target=self._run, name=f"wenku-{self.name}-flush", daemon=True
        ).start()

    def _run(self) -> None:
        stop = threading.Event()
        while not stop.wait(settings.VIEW_FLUSH_SECONDS):
            self.flush()
            close_old_connections()
