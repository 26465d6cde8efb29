"""Full-text index backends: SQLite FTS5 (embedded) and PostgreSQL tsvector (scale-out).

Both store pre-segmented, space-joined tokens (see ``wenku.search.tokenize``) in the
same database as the documents, so an index entry changes in the document's
transaction. The backend is chosen by the default connection's vendor.
"""

from __future__ import annotations

from django.db import connection

from wenku.search.backends.base import Backend, Filters, IndexEntry
from wenku.search.backends.postgres import PostgresBackend
from wenku.search.backends.sqlite import SqliteBackend

__all__ = ["Backend", "Filters", "IndexEntry", "get_backend"]


def get_backend() -> Backend:
    """The backend matching the default database."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteBackend()
