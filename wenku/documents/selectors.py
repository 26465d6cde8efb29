"""Reads on documents, and the one place their access rules live."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from wenku.documents.models import Document, DocumentStatus


def _is_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)


def _is_uploader(user: Any, document: Document) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and document.uploader_id == user.pk
    )


def document_get_for_user(*, number: int, user: Any) -> Document:
    """The document if this user may see its page at all, else Http404.

    Published documents are public; anything else (processing, failed, in review,
    taken down) is visible only to its uploader and staff.
    """
    document = (
        Document.objects.select_related("uploader", "category", "category__parent")
        .filter(number=number)
        .exclude(status=DocumentStatus.DELETED)
        .first()
    )
    if document is None:
        raise Http404("文档不存在或已删除")
    if document.status == DocumentStatus.PUBLISHED:
        return document
    if _is_uploader(user, document) or _is_staff(user):
        return document
    raise Http404("文档不存在或已删除")


def _full_access_ids(*, user: Any, documents: list[Document]) -> set[int]:
    """Ids of the documents this user may read whole: uploader, staff, buyers."""
    full = {
        document.pk
        for document in documents
        if _is_uploader(user, document) or _is_staff(user)
    }
    rest = [document.pk for document in documents if document.pk not in full]
    if rest and getattr(user, "is_authenticated", False):
        from wenku.wallet.selectors import entitled_document_ids

        full |= entitled_document_ids(user=user, document_ids=rest)
    return full


def user_has_full_access(*, user: Any, document: Document) -> bool:
    """Uploader, staff and buyers (entitled members) may read every page and download."""
    return document.pk in _full_access_ids(user=user, documents=[document])


def readable_page_count(*, user: Any, document: Document) -> int:
    """How many leading pages this user may view (images and text)."""
    return readable_page_counts(user=user, documents=[document])[document.pk]


def readable_page_counts(*, user: Any, documents: list[Document]) -> dict[int, int]:
    """``readable_page_count`` of many documents by id, with one entitlement query."""
    full = _full_access_ids(user=user, documents=documents)
    return {
        document.pk: document.rendered_pages
        if document.pk in full
        else document.visible_free_pages
        for document in documents
    }


def user_can_view_page(*, user: Any, document: Document, page_number: int) -> bool:
    return 1 <= page_number <= readable_page_count(user=user, document=document)


def document_list_public(
    *, category_ids: list[int] | None = None, sort: str = "newest"
) -> QuerySet[Document]:
    """Published documents, optionally within categories, newest or most downloaded first."""
    queryset = Document.objects.filter(status=DocumentStatus.PUBLISHED).select_related(
        "uploader", "category"
    )
    if category_ids:
        queryset = queryset.filter(category_id__in=category_ids)
    ordering = {
        "newest": ["-published_at", "-id"],
        "downloads": ["-downloads", "-published_at", "-id"],
        "views": ["-views", "-id"],
    }.get(sort, ["-published_at", "-id"])
    return queryset.order_by(*ordering)


def readable_text(*, user: Any, document: Document) -> str:
    """Text of the pages this user may read, in page order (never beyond the limit)."""
    from wenku.documents.models import Page

    limit = readable_page_count(user=user, document=document)
    if limit <= 0:
        return ""
    texts = Page.objects.filter(document=document, number__lte=limit).order_by("number")
    return "\n".join(texts.values_list("text", flat=True))


def document_list_for_uploader(*, user: Any) -> QuerySet[Document]:
    """A member's own uploads, newest first, excluding deleted ones."""
    return (
        Document.objects.filter(uploader=user)
        .exclude(status=DocumentStatus.DELETED)
        .select_related("category")
        .order_by("-created_at")
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
