"""Small per-process answers kept under tag versions: a member's unread count, their
favourite and rating of a document. The same counters as the page cache decide
freshness, so a write anywhere on the machine (or the site, with shared versions)
is seen by the next read in every process.

``remember`` reads the versions *before* computing, so a write that lands during the
computation leaves the stored answer under old versions: the next read recomputes.
``forget`` bumps only its tags — not the page cache's epoch or site tag, since no
anonymous page holds a member's own state.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import transaction

from wenku.core.pagecache.versions import Versions, slot_of

T = TypeVar("T")
MAX_ENTRIES = 50_000
SECONDS = 300.0


def member_tag(pk: Any) -> str:
    """A member's own state (unread notifications, favourites, ratings)."""
    return f"member:{pk}"


class Memo:
    def __init__(self, versions: Callable[[], Versions]) -> None:
        self._versions = versions
        self._entries: OrderedDict[Hashable, tuple[tuple[int, ...], float, Any]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def remember(
        self, key: Hashable, tags: tuple[str, ...], compute: Callable[[], T]
    ) -> T:
        slots = tuple(sorted({slot_of(tag) for tag in tags}))
        current = self._versions().read(slots)
        now = time.monotonic()
        with self._lock:
            kept = self._entries.get(key)
        if kept is not None and kept[0] == current and kept[1] > now:
            return kept[2]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._entries[key] = (current, now + SECONDS, value)
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)
        return value

    def forget(self, *tags: str) -> None:
        """Answers under any of these tags are stale (now, and again after the
        current transaction commits, when other processes can read the write)."""
        slots = [slot_of(tag) for tag in tags]
        bump = self._versions().bump
        bump(slots)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: bump(slots))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
