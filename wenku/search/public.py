"""Full-text search: the API the rest of the site calls (imported as
``from wenku.search import public as search``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wenku.documents.access import document_access
from wenku.documents.models import Document
from wenku.search import selectors, services
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

    services.index_document(document, refresh_related=refresh_related, pages=pages)


def remove_document(document: Document) -> None:
    """Drop the document from the index (call inside the same transaction as the change)."""

    services.remove_document(document)


def search(query: str, *, user: Any, **options: Any) -> SearchResults:
    """Search published documents; see ``wenku.search.selectors.search`` for options."""

    return selectors.search(query, user=user, **options)


def search_in_document(document: Document, term: str, *, user: Any) -> list[PageMatch]:
    """Pages of one document containing the term: (page, count, viewable)."""

    access = document_access(user=user, document=document)
    return selectors.search_in_document(document, term, access=access)


def related_documents(document: Document, limit: int = 8) -> list[Document]:
    """相关资源 of a document (precomputed at publish)."""

    return selectors.related_documents(document, limit=limit)


def related_searches(document: Document, limit: int = 8) -> list[str]:
    """相关搜索 terms for a document; each finds at least one document."""

    return selectors.related_searches(document, limit=limit)


def suggest(prefix: str, limit: int = 8) -> list[str]:
    """Suggestions as you type: queries several visitors made, then titles."""

    return selectors.suggest(prefix, limit=limit)


def log_query(
    query: str, clicked_document: Document | None = None, *, visitor: str = ""
) -> None:
    """Count an anonymised query (and its visitor's keyed hash), or a click on one
    of its results."""

    services.log_query(query, clicked_document=clicked_document, visitor=visitor)
