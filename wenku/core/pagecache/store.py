"""Rendered anonymous pages kept in this process, each with the tag versions it was
rendered under. Bounded by bytes; the least recently stored goes first."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

Key = tuple[str, ...]


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

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)
