"""Decide a file's real type from its bytes (placeholder until the registry lands)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rejected(Exception):
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def sniff(path: str, file_name: str) -> str:
    """Return the real file type (e.g. 'docx'), or raise Rejected with a reason."""
    raise Rejected("unsupported", "暂不支持该文件类型 / Unsupported file type")
