"""Member writes on a document: metadata edits, favorites, ratings, view counts."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F

from wenku.accounts.models import User
from wenku.core.models import Category
from wenku.documents.models import Document, DocumentStatus, Favorite, Rating
from wenku.search import services as search

logger = logging.getLogger(__name__)

TITLE_MAX = 200


def document_favorite_toggle(*, user: User, document: Document) -> bool:
    """Favorite or unfavorite; returns True when the document is now a favorite."""
    with transaction.atomic():
        deleted, _ = Favorite.objects.filter(user=user, document=document).delete()
        if deleted:
            return False
        Favorite.objects.create(user=user, document=document)
        return True


def document_rate(*, user: User, document: Document, stars: int) -> Document:
    """Rate 1–5 stars; a second rating replaces the first."""
    if not 1 <= stars <= 5:
        raise ValueError("stars must be 1..5")
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        previous = Rating.objects.filter(user=user, document=locked).first()
        if previous is None:
            Rating.objects.create(user=user, document=locked, stars=stars)
            locked.rating_sum += stars
            locked.rating_count += 1
        else:
            locked.rating_sum += stars - previous.stars
            previous.stars = stars
            previous.save(update_fields=["stars"])
        locked.save(update_fields=["rating_sum", "rating_count"])
    return locked


def document_record_view(*, document: Document) -> None:
    """Count a page view (a single UPDATE, no lock held)."""
    Document.objects.filter(pk=document.pk).update(views=F("views") + 1)


def document_update(
    *,
    document: Document,
    by: User,
    title: str,
    description: str,
    tags: str,
    category: Category | None,
    price: int,
    free_pages: int,
) -> Document:
    """Edit a document's metadata; the search index follows in the same transaction."""
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        locked.title = title.strip()[:TITLE_MAX] or locked.title
        locked.description = description
        locked.tags = tags
        locked.category = category
        locked.price = price
        locked.free_pages = free_pages
        locked.save()
        if locked.status == DocumentStatus.PUBLISHED:
            search.index_document(locked)
    logger.info("document %s edited by %s", locked.number, by.pk)
    return locked
