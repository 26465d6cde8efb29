"""Reads on wallets and entitlements."""

from __future__ import annotations

from typing import Any


def user_is_entitled(*, user: Any, document: Any) -> bool:
    """True when the member bought the document (placeholder until the ledger lands)."""
    return False
