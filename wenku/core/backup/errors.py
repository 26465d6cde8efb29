"""The one error backups and restores raise, with a message an operator can act on."""

from __future__ import annotations


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""

    @property
    def message(self) -> str:
        return str(self)
