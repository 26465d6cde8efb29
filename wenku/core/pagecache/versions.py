"""Tag versions: a counter per tag, bumped by the writes that change a page.

A cached page remembers the versions of its tags when it was rendered and is served
only while every one is unchanged. Tags hash into a fixed table of counters, so a
collision can only invalidate too much, never too little.

``LocalVersions`` keeps in each slot the epoch of its last bump, so a render knows
whether a tag it depends on changed after it began (and only then is not kept);
``SharedVersions`` keeps counters and answers that conservatively (any change).

Two stores: ``LocalVersions`` (a memory-mapped file in the data folder, shared by every
process of one machine: web processes, the worker, the scheduler) and
``SharedVersions`` (Django's cache, for web and worker machines that share Redis or
the database).
"""

from __future__ import annotations

import fcntl
import mmap
import os
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from django.core.cache import caches

SLOTS = 1 << 16
_SLOT = struct.Struct("<Q")


def slot_of(tag: str) -> int:
    """The counter of a tag: 1 … SLOTS-1 (slot 0 is the epoch)."""
    return 1 + zlib.crc32(tag.encode()) % (SLOTS - 1)


class Versions(Protocol):
    def read(self, slots: tuple[int, ...]) -> tuple[int, ...]: ...

    def bump(self, slots: Iterable[int]) -> None: ...

    def overtaken(self, found: tuple[int, ...], since: int) -> bool: ...


class LocalVersions:
    """Counters in a file mapped into every process of this machine.

    Reads are plain 8-byte loads from the shared mapping; bumps take an exclusive
    ``flock`` so two processes never lose an increment.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        size = SLOTS * _SLOT.size
        if os.fstat(self._fd).st_size < size:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                if os.fstat(self._fd).st_size < size:
                    os.ftruncate(self._fd, size)
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._map = mmap.mmap(self._fd, size)

    def read(self, slots: tuple[int, ...]) -> tuple[int, ...]:
        unpack, data = _SLOT.unpack_from, self._map
        return tuple(unpack(data, slot * 8)[0] for slot in slots)

    def bump(self, slots: Iterable[int]) -> None:
        """The epoch (slot 0) moves on by one and each slot takes its new value, so
        a slot's value is the epoch of its last bump."""
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            (epoch,) = _SLOT.unpack_from(self._map, 0)
            epoch += 1
            _SLOT.pack_into(self._map, 0, epoch)
            for slot in set(slots):
                _SLOT.pack_into(self._map, slot * 8, epoch)
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def overtaken(self, found: tuple[int, ...], since: int) -> bool:
        """Whether any of these slots was bumped after epoch ``since``."""
        return any(value > since for value in found)


class SharedVersions:
    """Counters in Django's cache (Redis, or the database cache table)."""

    PREFIX = "wenku:pv:"

    def __init__(self, alias: str = "default") -> None:
        self._cache = caches[alias]

    def read(self, slots: tuple[int, ...]) -> tuple[int, ...]:
        keys = [f"{self.PREFIX}{slot}" for slot in slots]
        found = self._cache.get_many(keys)
        return tuple(int(found.get(key, 0)) for key in keys)

    def overtaken(self, found: tuple[int, ...], since: int) -> bool:
        """Conservative across machines: any bump since ``since`` (the epoch key is
        bumped first by every invalidation)."""
        return self.read((0,))[0] != since

    def bump(self, slots: Iterable[int]) -> None:
        slots = {0, *slots}
        for slot in sorted(slots):
            key = f"{self.PREFIX}{slot}"
            # add() then incr(): atomic on Redis; the database cache is best effort,
            # which is still safe — any change of value invalidates.
            self._cache.add(key, 0, timeout=None)
            try:
                self._cache.incr(key)
            except ValueError:
                self._cache.set(key, 1, timeout=None)
