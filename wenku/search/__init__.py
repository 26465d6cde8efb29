"""Full-text search: the public API other apps call (index_document, remove_document, search)."""

from __future__ import annotations

from typing import Any


def index_document(document: Any) -> None:
    """Add or refresh the document in the index (call inside the publishing transaction)."""


def remove_document(document: Any) -> None:
    """Drop the document from the index (call inside the same transaction as the change)."""
