"""Full-text search: the public API the rest of the site calls.

Functions import their implementation lazily: this package is imported while Django
loads apps, before models may be touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wenku.documents.models import Document
    from wenku.search.selectors import PageMatch, SearchResults

__all__ = [
    "index_document",
    "log_query",
    "related_documents",
    "related_searches",
    "remove_document",
    "search",
    "search_in_document",
    "suggest",
]


def index_document(
    document: Document,
    *,
    refresh_related: bool = True,
    pages: Sequence[tuple[int, str]] | None = None,
) -> None:
    """Add or refresh the document in the index (call inside the publishing transaction).

    ``pages``: (number, text) of every stored page, when the caller just wrote
    them; otherwise they are read back.
    """
    from wenku.search import services

    services.index_document(document, refresh_related=refresh_related, pages=pages)


def remove_document(document: Document) -> None:
    """Drop the document from the index (call inside the same transaction as the change)."""
    from wenku.search import services

    services.remove_document(document)


def search(query: str, *, user: Any, **options: Any) -> SearchResults:
    """Search published documents; see ``wenku.search.selectors.search`` for options."""
    from wenku.search import selectors

    return selectors.search(query, user=user, **options)


def search_in_document(document: Document, term: str, *, user: Any) -> list[PageMatch]:
    """Pages of one document containing the term: (page, count, viewable)."""
    from wenku.documents.access import document_access
    from wenku.search import selectors

    access = document_access(user=user, document=document)
    return selectors.search_in_document(document, term, access=access)


def related_documents(document: Document, limit: int = 8) -> list[Document]:
    """相关资源 of a document (precomputed at publish)."""
    from wenku.search import selectors

    return selectors.related_documents(document, limit=limit)


def related_searches(document: Document, limit: int = 8) -> list[str]:
    """相关搜索 terms for a document; each finds at least one document."""
    from wenku.search import selectors

    return selectors.related_searches(document, limit=limit)


def suggest(prefix: str, limit: int = 8) -> list[str]:
    """Suggestions as you type: popular queries and titles."""
    from wenku.search import selectors

    return selectors.suggest(prefix, limit=limit)


def log_query(query: str, clicked_document: Document | None = None) -> None:
    """Count an anonymised query, or a click on one of its results."""
    from wenku.search import services

    services.log_query(query, clicked_document=clicked_document)
