"""Rendered anonymous pages kept in this process, each with the tag versions it was
rendered under. Bounded by bytes; the least recently stored goes first."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

Key = tuple[str, ...]
STALE_KEYS = 4096
RENDER_WAIT = 5.0  # seconds a request waits for another's render of its page


@dataclass(frozen=True, slots=True)
class Entry:
    status: str  # "200 OK"
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    last_modified: str
    slots: tuple[int, ...]
    versions: tuple[int, ...]
    expires: float
    # (hook name, argument) run on every hit served from the cache: a view count.
    on_hit: tuple[tuple[str, Any], ...] = field(default=())

    @property
    def size(self) -> int:
        return len(self.body) + 200 * (len(self.headers) + 1)


class PageStore:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        # Keys whose entry went stale lately: pages worth one render at a time.
        self._stale: OrderedDict[Key, None] = OrderedDict()
        # Renders in progress of such keys, for the requests that wait on them.
        self._renders: dict[Key, threading.Event] = {}

    def get(self, key: Key) -> Entry | None:
        entry = self._entries.get(key)
        if entry is not None and entry.expires < time.monotonic():
            self.discard(key)
            return None
        return entry

    def put(self, key: Key, entry: Entry) -> None:
        if entry.size > self.max_bytes // 8:
            return  # one huge page must not evict the whole cache
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = entry
            self._bytes += entry.size
            while self._bytes > self.max_bytes and self._entries:
                _key, evicted = self._entries.popitem(last=False)
                self._bytes -= evicted.size

    def discard(self, key: Key) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
                self._stale[key] = None
                while len(self._stale) > STALE_KEYS:
                    self._stale.popitem(last=False)

    @contextmanager
    def one_render(self, key: Key) -> Iterator[bool]:
        """Of the requests for a page that went stale, one renders while the others
        wait for it (at most ``RENDER_WAIT`` seconds) and then look again — as
        nginx's ``proxy_cache_lock`` does. Yields whether this request renders
        first; pages never kept go through at once."""
        with self._lock:
            if key not in self._stale:
                event, first = None, True
            else:
                event = self._renders.get(key)
                first = event is None
                if first:
                    event = self._renders[key] = threading.Event()
        if not first and event is not None:
            event.wait(RENDER_WAIT)
            yield False
            return
        try:
            yield True
        finally:
            if event is not None:
                with self._lock:
                    self._renders.pop(key, None)
                    self._stale.pop(key, None)
                event.set()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._stale.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)
