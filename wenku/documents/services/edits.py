"""Member writes on a document: metadata edits, favorites, ratings, view counts."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from wenku.accounts.models import User
from wenku.core.models import Category
from wenku.documents.access import RateRefusal, document_access
from wenku.documents.models import Document, DocumentStatus, Favorite, Rating
from wenku.documents.services.details import DocumentRejected, details_check
from wenku.search import services as search

logger = logging.getLogger(__name__)


def document_favorite_toggle(*, user: User, document: Document) -> bool:
    """Favorite or unfavorite; returns True when the document is now a favorite."""
    with transaction.atomic():
        deleted, _ = Favorite.objects.filter(user=user, document=document).delete()
        if deleted:
            return False
        Favorite.objects.create(user=user, document=document)
        return True


def _rate_refused(refusal: RateRefusal) -> DocumentRejected:
    messages = {
        RateRefusal.SIGN_IN: _("请先登录 / Please log in first"),
        RateRefusal.NOT_PUBLISHED: _(
            "文档尚未发布，不能评分 / Only a published document can be rated"
        ),
        RateRefusal.OWN: _(
            "不能给自己上传的文档评分 / You can't rate your own document"
        ),
        RateRefusal.NOT_READER: _(
            "购买或下载后才能评分 / Buy or download the document to rate it"
        ),
    }
    return DocumentRejected(f"rate_{refusal}", messages[refusal])


def document_rate(*, user: User, document: Document, stars: int) -> Document:
    """Rate 1–5 stars a document the member may rate (``DocumentAccess.rate``: a
    published one they bought or downloaded free); a second rating replaces the first."""
    if type(stars) is not int or not 1 <= stars <= 5:
        raise DocumentRejected(
            "bad_stars", _("请选择 1 到 5 星 / Choose 1 to 5 stars"), field="stars"
        )
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        # Checked on the locked row: a takedown committed meanwhile is seen here.
        refusal = document_access(user=user, document=locked).rate_refusal
        if refusal is not None:
            raise _rate_refused(refusal)
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
    """Edit a document's metadata (the upload rules apply; an empty title keeps the old
    one); the search index follows in the same transaction."""
    details = details_check(
        title=title,
        description=description,
        tags=tags,
        category=category,
        price=price,
        free_pages=free_pages,
    )
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        locked.title = details.title or locked.title
        locked.description = details.description
        locked.tags = details.tags
        locked.category = details.category
        locked.price = details.price
        locked.free_pages = details.free_pages
        locked.save()
        if locked.status == DocumentStatus.PUBLISHED:
            search.index_document(locked)
    logger.info("document %s edited by %s", locked.number, by.pk)
    return locked
