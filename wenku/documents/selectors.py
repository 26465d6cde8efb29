"""Reads on documents: public listings, a member's uploads, readable text.

Who may see or read what is decided in ``wenku.documents.access``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Prefetch, QuerySet

from wenku.core.models import ReviewMode
from wenku.core.selectors import site_settings_get
from wenku.documents.access import DocumentAccess, public_documents, uploader_documents
from wenku.documents.models import (
    ClusterAction,
    ClusterEvent,
    Document,
    DocumentStatus,
    NearBand,
    NearFingerprint,
    Page,
)


def document_list_public(
    *, category_ids: list[int] | None = None, sort: str = "newest"
) -> QuerySet[Document]:
    """Published documents, optionally within categories, newest or most downloaded first."""
    queryset = public_documents().select_related("uploader", "category")
    if category_ids:
        queryset = queryset.filter(category_id__in=category_ids)
    ordering = {
        "newest": ["-published_at", "-id"],
        "downloads": ["-downloads", "-published_at", "-id"],
        "views": ["-views", "-id"],
    }.get(sort, ["-published_at", "-id"])
    return queryset.order_by(*ordering)


def readable_text(*, document: Document, access: DocumentAccess) -> str:
    """Text of the pages the reader may read, in page order (never beyond the limit)."""
    limit = access.readable_pages
    if limit <= 0:
        return ""
    texts = Page.objects.filter(document=document, number__lte=limit).order_by("number")
    return "\n".join(texts.values_list("text", flat=True))


def document_list_for_uploader(*, user: Any) -> QuerySet[Document]:
    """A member's own uploads, newest first, excluding deleted ones."""
    return (
        uploader_documents(user=user).select_related("category").order_by("-created_at")
    )


def document_list_filtered(
    *,
    category_ids: list[int] | None,
    file_types: list[str] | None,
    pages_min: int | None,
    pages_max: int | None,
    sort: str,
) -> QuerySet[Document]:
    """Public listing with the home/category filters (format, page count) and sort."""
    queryset = document_list_public(category_ids=category_ids, sort=sort)
    if file_types:
        queryset = queryset.filter(file_type__in=file_types)
    if pages_min is not None:
        queryset = queryset.filter(page_count__gte=pages_min)
    if pages_max is not None:
        queryset = queryset.filter(page_count__lte=pages_max)
    return queryset


def document_needs_review(document: Document) -> bool:
    """Whether the site's review mode holds this upload for a moderator before it is
    published: never a staff member's; every member's in "all"; in "new_members"
    those of members with fewer published documents than the trust threshold.

    A plain read: the conversion job calls it (documents cannot import moderation),
    and ``wenku.moderation.review.review_needed`` is the same rule."""
    rules = site_settings_get()
    if rules.review_mode == ReviewMode.OFF or document.uploader.is_staff:
        return False
    if rules.review_mode == ReviewMode.ALL:
        return True
    published = (
        Document.objects.filter(
            uploader_id=document.uploader_id, status=DocumentStatus.PUBLISHED
        )
        .exclude(pk=document.pk)
        .count()
    )
    return published < rules.review_trust_threshold


def documents_in_review() -> QuerySet[Document]:
    """The review queue: documents waiting for a moderator, oldest first."""
    # Why a near-copy waits: the document it is like (shown to the moderator).
    near = Prefetch(
        "cluster_events",
        queryset=ClusterEvent.objects.filter(action=ClusterAction.REVIEW)
        .select_related("match")
        .defer("match__text"),
        to_attr="near_reviews",
    )
    return (
        Document.objects.filter(status=DocumentStatus.IN_REVIEW)
        .select_related("uploader", "category")
        .prefetch_related(near)
        .order_by("created_at", "id")
    )


# Near-duplicate candidates verified per lookup: the ones sharing most bands.
NEAR_CANDIDATES = 200
# Documents whose text no longer counts as being on the site. A deleted document
# keeps its signature only while its content is banned (services/near_duplicates).
NOT_MATCHED = (DocumentStatus.FAILED, DocumentStatus.REJECTED)
CLUSTER_SHOWN = 10


@dataclass(frozen=True)
class NearCandidate:
    """A stored signature to verify: whose it is, its bytes and its length."""

    document_id: int
    signature: bytes
    chars: int


def near_candidates(
    *, bands: list[tuple[int, int]], exclude_id: int | None
) -> list[NearCandidate]:
    """Stored signatures of the documents sharing any LSH band, still on the site,
    in one query: the bands are joined to the ``nearband_lookup`` index, which
    holds the document too (an index-only read, no table rows), the ids sharing
    most bands are kept, and their signatures are read with them (plain values:
    most candidates fail the verification, so their documents are loaded only for
    those that pass)."""
    if not bands:
        return []
    # Plain SQL: the ORM builds neither the VALUES join nor the grouped subquery,
    # and a 64-way OR of (band, hash) pairs costs PostgreSQL a bitmap over table
    # rows, two to three times the join's time at 100,000 documents.
    values = ", ".join(["(%s, %s)"] * len(bands))
    sql = (
        f"WITH probe(band, hash) AS (VALUES {values}), "  # noqa: S608
        "shared AS ("
        "SELECT b.document_id, count(*) AS bands "
        f"FROM probe JOIN {NearBand._meta.db_table} b "
        "ON b.band = probe.band AND b.hash = probe.hash "
        "WHERE b.document_id <> %s "
        "GROUP BY b.document_id ORDER BY bands DESC, b.document_id LIMIT %s) "
        "SELECT f.document_id, f.signature, f.chars "
        f"FROM shared JOIN {NearFingerprint._meta.db_table} f "
        "ON f.document_id = shared.document_id "
        f"JOIN {Document._meta.db_table} d ON d.id = f.document_id "
        f"WHERE d.status NOT IN ({', '.join(['%s'] * len(NOT_MATCHED))}) "
        "ORDER BY f.document_id"
    )
    params = [value for pair in bands for value in pair]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, exclude_id or 0, NEAR_CANDIDATES, *NOT_MATCHED])
        rows = cursor.fetchall()
    return [
        NearCandidate(document_id=pk, signature=bytes(signature), chars=chars)
        for pk, signature, chars in rows
    ]


@dataclass(frozen=True)
class ClusterSummary:
    """What a reader is told about a document's near-copies: the original (the
    earliest published member), how many versions there are with this one, and the
    first of them (earliest first)."""

    original: Document
    size: int
    members: list[Document]


def cluster_of(
    document: Document, *, shown: int = CLUSTER_SHOWN
) -> ClusterSummary | None:
    """The document's cluster as readers see it (published members, and the
    document itself), or None when it has no published near-copy."""
    if document.cluster_id is None:
        return None
    others = (
        public_documents()
        .filter(cluster_id=document.cluster_id)
        .exclude(pk=document.pk)
        .select_related("uploader")
        .defer("text")
        .order_by("published_at", "id")
    )
    members = list(others[:shown])
    if not members:
        return None
    count = len(members) if len(members) < shown else others.count()
    first = members[0]
    original = (
        document
        if document.is_public
        and document.published_at is not None
        and (document.published_at, document.pk) < (first.published_at, first.pk)
        else first
    )
    return ClusterSummary(original=original, size=count + 1, members=members)


def cluster_sizes(cluster_ids: list[int]) -> dict[int, int]:
    """Published members per cluster, for a page of listed documents."""
    if not cluster_ids:
        return {}
    rows = (
        public_documents()
        .filter(cluster_id__in=cluster_ids)
        .values("cluster_id")
        .annotate(size=Count("id"))
        .values_list("cluster_id", "size")
    )
    return dict(rows)
