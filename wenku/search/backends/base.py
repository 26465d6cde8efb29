"""What a search backend does, and the ranking strategy both backends share.

Ranking every match costs time in proportion to the number of matches: a word found
in half of 100,000 documents means 50,000 BM25 evaluations. So when a query matches
more than ``CANDIDATE_LIMIT`` documents, ranking is bounded in two tiers:

1. documents matching in title or tags, ranked, among the newest ``CANDIDATE_LIMIT``
   such matches (1,000 here; both backends use 300) — a title match outranks a body
   match under our weights anyway;
2. then documents matching anywhere, ranked, among the newest ``CANDIDATE_LIMIT``.

"Newest" is by document id, which the index can walk without ranking. Below the
limit (the usual case for multi-word and rare queries) ranking is exact. The count
is exact for unfiltered queries (the index alone answers it) and capped at
``COUNT_CAP`` when filters need a join. PostgreSQL overrides ``search`` and ``count``
for the common unfiltered relevance case (see ``backends/postgres.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wenku.documents.access import public_sql

SORTS = ("relevance", "newest", "downloads")
ALL, HEAD = "all", "head"  # match anywhere / in title or tags only
COUNT_CAP = 1000


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
    file_types: tuple[str, ...] | None = None
    pages_min: int | None = None
    pages_max: int | None = None
    price: str | None = None  # "free" | "paid"

    @property
    def empty(self) -> bool:
        return self == Filters()


class Backend:
    """Shared search strategy over four primitives each backend implements."""

    CANDIDATE_LIMIT = 1000

    # --- primitives -------------------------------------------------------
    def upsert(self, document_id: int, entry: IndexEntry) -> None:
        raise NotImplementedError

    def delete(self, document_id: int) -> None:
        raise NotImplementedError

    def match_count(self, words: list[str], tier: str) -> int:
        """Index entries matching every word (no join, exact)."""
        raise NotImplementedError

    def id_floor(self, words: list[str], tier: str, depth: int) -> int | None:
        """Id of the depth-th newest match, or None when there are fewer."""
        raise NotImplementedError

    def rank(
        self,
        words: list[str],
        *,
        tier: str,
        filters: Filters,
        sort: str,
        limit: int,
        min_id: int | None,
    ) -> list[tuple[int, float]]:
        """(document id, score) best first, published documents only."""
        raise NotImplementedError

    def filtered_count(self, words: list[str], filters: Filters, cap: int) -> int:
        raise NotImplementedError

    def cluster_surplus(self, words: list[str], *, filters: Filters) -> int:
        """Matching published documents that a cluster's first match stands for:
        members matched minus clusters matched, counted from the clustered side
        (clusters with two or more published members: near-copies are few)."""
        raise NotImplementedError

    def any_of(
        self, words: list[str], *, limit: int, exclude_id: int
    ) -> list[tuple[int, float]]:
        raise NotImplementedError

    def title_prefix(self, words: list[str], *, limit: int) -> list[int]:
        raise NotImplementedError

    # --- strategy ---------------------------------------------------------
    def search(
        self,
        words: list[str],
        *,
        filters: Filters,
        sort: str,
        limit: int,
        offset: int,
        published: Callable[[list[int]], set[int]] | None = None,
    ) -> list[tuple[int, float]]:
        """One page of (document id, score) of published documents, best first.

        ``published`` (which of these ids are published documents) lets a caller
        that loads the documents anyway do the status check while loading; this
        strategy does not need it (its queries join the documents table).
        """
        wanted = offset + limit
        floor = self.id_floor(words, ALL, self.CANDIDATE_LIMIT)
        if floor is None:  # few enough matches: rank them all
            rows = self.rank(
                words, tier=ALL, filters=filters, sort=sort, limit=wanted, min_id=None
            )
            return rows[offset:wanted]
        rows = []
        if sort == "relevance":
            head_floor = self.id_floor(words, HEAD, self.CANDIDATE_LIMIT)
            rows = self.rank(
                words,
                tier=HEAD,
                filters=filters,
                sort=sort,
                limit=wanted,
                min_id=head_floor,
            )
        if len(rows) < wanted:
            seen = {pk for pk, _ in rows}
            more = self.rank(
                words, tier=ALL, filters=filters, sort=sort, limit=wanted, min_id=floor
            )
            rows += [(pk, score) for pk, score in more if pk not in seen]
        if len(rows) < wanted and not filters.empty:
            # Selective filters can starve the bounded set: rank everything.
            rows = self.rank(
                words, tier=ALL, filters=filters, sort=sort, limit=wanted, min_id=None
            )
        return rows[offset:wanted]

    def count(self, words: list[str], *, filters: Filters) -> int:
        """Matching published documents (capped at COUNT_CAP when filtered)."""
        if filters.empty:
            return self.match_count(words, ALL)
        return self.filtered_count(words, filters, COUNT_CAP)


def filter_sql(filters: Filters) -> tuple[str, list[Any]]:
    """WHERE fragments over documents_document aliased ``d``, with their params."""
    public, public_params = public_sql("d")
    clauses = [public]
    params: list[Any] = [*public_params]
    if filters.category_ids is not None:
        ids = list(filters.category_ids) or [-1]
        clauses.append(f"d.category_id IN ({', '.join(['%s'] * len(ids))})")
        params.extend(ids)
    if filters.file_types:
        types = filters.file_types
        clauses.append(f"d.file_type IN ({', '.join(['%s'] * len(types))})")
        params.extend(types)
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


def shared_clusters_sql() -> tuple[str, list[Any]]:
    """Subquery of the clusters with at least two published members."""
    public, params = public_sql("c")
    return (
        "SELECT c.cluster_id FROM documents_document c "  # noqa: S608
        f"WHERE c.cluster_id IS NOT NULL AND {public} "
        "GROUP BY c.cluster_id HAVING count(*) > 1"
    ), params


def order_sql(sort: str, score_order: str) -> str:
    """ORDER BY body for a sort name; ties broken by id so pages are stable."""
    if sort == "newest":
        return "d.published_at DESC, d.id DESC"
    if sort == "downloads":
        return "d.downloads DESC, d.id DESC"
    return f"{score_order}, d.id DESC"
