"""What a search backend does, and the SQL both backends share (filters, sorting)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from wenku.documents.models import DocumentStatus

SORTS = ("relevance", "newest", "downloads")


@dataclass(frozen=True)
class IndexEntry:
    """Segmented, space-joined token text of each indexed field."""

    title: str
    tags: str
    description: str
    body: str


@dataclass(frozen=True)
class Filters:
    category_ids: tuple[int, ...] | None = None
    file_type: str | None = None
    pages_min: int | None = None
    pages_max: int | None = None
    price: str | None = None  # "free" | "paid"


class Backend(Protocol):
    def upsert(self, document_id: int, entry: IndexEntry) -> None: ...

    def delete(self, document_id: int) -> None: ...

    def search(
        self,
        words: list[str],
        *,
        filters: Filters,
        sort: str,
        limit: int,
        offset: int,
    ) -> list[tuple[int, float]]: ...

    def count(self, words: list[str], *, filters: Filters) -> int: ...

    def any_of(
        self, words: list[str], *, limit: int, exclude_id: int
    ) -> list[tuple[int, float]]: ...

    def title_prefix(self, words: list[str], *, limit: int) -> list[int]: ...


def filter_sql(filters: Filters) -> tuple[str, list[Any]]:
    """WHERE fragments over documents_document aliased ``d``, with their params."""
    clauses = ["d.status = %s"]
    params: list[Any] = [DocumentStatus.PUBLISHED.value]
    if filters.category_ids is not None:
        ids = list(filters.category_ids) or [-1]
        clauses.append(f"d.category_id IN ({', '.join(['%s'] * len(ids))})")
        params.extend(ids)
    if filters.file_type:
        clauses.append("d.file_type = %s")
        params.append(filters.file_type)
    if filters.pages_min is not None:
        clauses.append("d.page_count >= %s")
        params.append(filters.pages_min)
    if filters.pages_max is not None:
        clauses.append("d.page_count <= %s")
        params.append(filters.pages_max)
    if filters.price == "free":
        clauses.append("d.price = 0")
    elif filters.price == "paid":
        clauses.append("d.price > 0")
    return " AND ".join(clauses), params


def order_sql(sort: str, score_order: str) -> str:
    """ORDER BY body for a sort name; ties broken by id so pages are stable."""
    if sort == "newest":
        return "d.published_at DESC, d.id DESC"
    if sort == "downloads":
        return "d.downloads DESC, d.id DESC"
    return f"{score_order}, d.id DESC"
