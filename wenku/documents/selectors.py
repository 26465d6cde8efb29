"""Reads on documents: public listings, a member's uploads, readable text.

Who may see or read what is decided in ``wenku.documents.access``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from wenku.core.models import ReviewMode
from wenku.core.selectors import site_settings_get
from wenku.documents.access import DocumentAccess, public_documents, uploader_documents
from wenku.documents.models import Document, DocumentStatus, Page


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
    return (
        Document.objects.filter(status=DocumentStatus.IN_REVIEW)
        .select_related("uploader", "category")
        .order_by("created_at", "id")
    )
