"""The refusal every moderation service raises: a reason a person can act on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportRejected(Exception):
    """A filing or decision refused with a reason ("中文 / English"); ``field`` names
    the argument it is about, ``missing`` the required fields left out, ``status``
    the HTTP status the API answers with."""

    code: str
    message: str
    field: str | None = None
    missing: tuple[str, ...] = ()
    status: int = 400

    def __str__(self) -> str:
        return self.message


def refuse(code: str, message: str, *, status: int = 400, **extra) -> ReportRejected:
    return ReportRejected(code, message, status=status, **extra)
