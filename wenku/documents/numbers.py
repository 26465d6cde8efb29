"""Public document numbers: random, stable, never the primary key."""

from __future__ import annotations

import secrets

NUMBER_MIN = 10_000_000
NUMBER_MAX = 99_999_999


def new_document_number() -> int:
    return NUMBER_MIN + secrets.randbelow(NUMBER_MAX - NUMBER_MIN)
