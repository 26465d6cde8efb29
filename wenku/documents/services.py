"""Writes on documents: upload, metadata edits, favorites, ratings, status changes."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from wenku.accounts.models import User
from wenku.core.models import Category
from wenku.core.selectors import site_settings_get
from wenku.documents.models import Document, DocumentStatus, Favorite, Rating
from wenku.documents.numbers import new_document_number

logger = logging.getLogger(__name__)

TITLE_MAX = 200


@dataclass(frozen=True)
class UploadRejected(Exception):
    """An upload refused with a reason a person can act on."""

    code: str
    message: str
    existing: Document | None = None

    def __str__(self) -> str:
        return self.message


def _title_from_name(file_name: str) -> str:
    stem = Path(file_name).name
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    return stem.strip()[:TITLE_MAX] or "未命名文档"


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def document_upload(
    *,
    uploader: User,
    file_name: str,
    data: bytes | None = None,
    path: Path | None = None,
    title: str | None = None,
    category: Category | None = None,
    tags: str = "",
    description: str = "",
    price: int = 0,
    free_pages: int | None = None,
) -> Document:
    """Validate and store an upload, create the Document and queue its conversion."""
    from wenku.conversion.sniff import Rejected, sniff

    with tempfile.TemporaryDirectory(prefix=f"wenku-up-{os.getpid()}-") as tmp:
        if path is None:
            if data is None:
                raise ValueError("document_upload needs data or path")
            path = Path(tmp) / "upload"
            path.write_bytes(data)
        size = path.stat().st_size
        if size == 0:
            raise UploadRejected("empty", "文件是空的 / The file is empty")
        if size > settings.MAX_UPLOAD_BYTES:
            limit_mb = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
            raise UploadRejected(
                "too_large",
                f"文件超过 {limit_mb} MB 上限 / File is larger than {limit_mb} MB",
            )
        try:
            file_type = sniff(str(path), file_name)
        except Rejected as exc:
            raise UploadRejected(exc.code, exc.message) from exc
        sha256, size = _hash_file(path)
        existing = (
            Document.objects.filter(sha256=sha256)
            .exclude(status__in=[DocumentStatus.DELETED, DocumentStatus.FAILED])
            .first()
        )
        if existing is not None:
            raise UploadRejected(
                "duplicate",
                "本站已有相同文件 / This file is already on the site",
                existing=existing,
            )
        storage_name = f"originals/{sha256[:2]}/{sha256}.{file_type}"
        if not default_storage.exists(storage_name):
            with path.open("rb") as handle:
                storage_name = default_storage.save(storage_name, File(handle))
        if free_pages is None:
            free_pages = site_settings_get().default_free_pages
        with transaction.atomic():
            document = _create_with_unique_number(
                title=(title or "").strip()[:TITLE_MAX] or _title_from_name(file_name),
                description=description,
                tags=tags,
                category=category,
                uploader=uploader,
                original=storage_name,
                original_name=Path(file_name).name[:255],
                file_type=file_type,
                sha256=sha256,
                size=size,
                price=price,
                free_pages=free_pages,
            )
            _queue_conversion(document)
    return document


def _create_with_unique_number(**fields: object) -> Document:
    for _attempt in range(10):
        try:
            with transaction.atomic():
                return Document.objects.create(number=new_document_number(), **fields)
        except IntegrityError:
            continue
    raise RuntimeError("could not allocate a document number")


def _queue_conversion(document: Document) -> None:
    from wenku.conversion.tasks import convert_document

    document_id = document.pk
    # robust: with the broker down the upload still succeeds; the conversion sweep
    # queues the document once no worker has claimed it for a while.
    transaction.on_commit(
        lambda: convert_document.delay(document_id=document_id), robust=True
    )


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


def document_set_status(
    *, document: Document, status: str, reason: str = ""
) -> Document:
    """Move a document to a moderation state, keeping the search index in step."""
    from wenku import search

    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        locked.status = status
        if status == DocumentStatus.PUBLISHED and locked.published_at is None:
            locked.published_at = timezone.now()
        if reason:
            locked.failure_reason = reason[:500]
        locked.save(
            update_fields=["status", "published_at", "failure_reason", "updated_at"]
        )
        if status == DocumentStatus.PUBLISHED:
            search.index_document(locked)
        else:
            search.remove_document(locked)
    return locked


def document_record_view(*, document: Document) -> None:
    """Count a page view (a single UPDATE, no lock held)."""
    from django.db.models import F

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
    from wenku import search

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


def document_delete(*, document: Document, by: User) -> Document:
    """The uploader removes a document: hidden everywhere, index entry dropped.

    An upload reward is taken back when the document goes within the rules' window,
    so uploading and deleting cannot farm points.
    """
    from wenku.wallet.services import wallet_reverse_upload_reward

    with transaction.atomic():
        document = document_set_status(document=document, status=DocumentStatus.DELETED)
        wallet_reverse_upload_reward(document=document)
    return document
