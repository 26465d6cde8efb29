"""The upload service: validate, store the original, create the Document, queue it."""

from __future__ import annotations

import hashlib
import logging
import math
import os
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from wenku.accounts.models import User
from wenku.conversion.sniff import Rejected, sniff
from wenku.core.models import Category
from wenku.core.selectors import site_settings_get
from wenku.documents.access import document_access
from wenku.documents.models import Document, DocumentStatus
from wenku.documents.numbers import new_document_number
from wenku.documents.services.details import (
    TITLE_MAX,
    DocumentRejected,
    details_check,
)
from wenku.documents.services.lifecycle import document_relist, queue_conversion
from wenku.moderation.selectors import content_banned, upload_suspension

logger = logging.getLogger(__name__)

COPYRIGHT_UNDECLARED = "请勾选版权声明 / Please confirm the copyright declaration"


@dataclass(frozen=True)
class UploadRejected(DocumentRejected):
    """An upload refused with a reason a person can act on; a duplicate names the
    document already holding the same bytes, the daily quota says how many seconds
    until it resets (code "quota": the entry points answer 429 with Retry-After)."""

    existing: Document | None = None
    retry_after: int | None = None


BANNED = (
    "该文件的内容已因侵权或违规投诉成立被下架，不能再次上传。"
    " / This file was taken down after an upheld complaint and cannot be uploaded again."
)


def _upload_quota_check(uploader: User) -> None:
    """Refuse an upload past the member's daily quota (SiteSettings.uploads_per_day,
    0: none; off with WENKU_RATE_LIMITS=off). Every document the member created
    since local midnight counts, unlisted, failed or deleted ones too."""
    if not settings.RATE_LIMITS_ENABLED:
        return
    quota = site_settings_get().uploads_per_day
    if not quota:
        return
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    used = Document.objects.filter(uploader=uploader, created_at__gte=midnight).count()
    if used < quota:
        return
    tomorrow = timezone.localtime(midnight + timedelta(days=1))
    tomorrow = tomorrow.replace(hour=0, minute=0, second=0, microsecond=0)
    raise UploadRejected(
        "quota",
        f"今天已上传 {used} 份文档，达到每日 {quota} 份的上限，请明天再上传。"
        f" / You uploaded {used} documents today, the daily limit of {quota}:"
        " please upload again tomorrow.",
        retry_after=max(1, math.ceil((tomorrow - now).total_seconds())),
    )


def _duplicate(existing: Document, *, uploader: User) -> UploadRejected:
    """The refusal of bytes already on the site; it names the document only when
    the uploader may see it (never a taken-down, unlisted or unpublished one)."""
    visible = document_access(user=uploader, document=existing).view
    return UploadRejected(
        "duplicate",
        "本站已有相同文件 / This file is already on the site",
        existing=existing if visible else None,
    )


def _live_copy(sha256: str) -> Document | None:
    """The live document holding these bytes: deleted and failed ones do not count
    (the same rule as the doc_live_sha256_unique constraint)."""
    return (
        Document.objects.filter(sha256=sha256)
        .exclude(status__in=[DocumentStatus.DELETED, DocumentStatus.FAILED])
        .first()
    )


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
    copyright_declared: bool,
    enforce_quota: bool = True,
) -> Document:
    """Validate and store an upload, create the Document and queue its conversion.

    The details and the uploader's copyright declaration are checked before the file,
    so a form posting several files is refused once, before anything is written.
    Members' uploads count against the daily quota (`enforce_quota`; an operator's
    `wenku import` does not).
    """
    if not copyright_declared:
        raise UploadRejected(
            "copyright", COPYRIGHT_UNDECLARED, field="copyright_declared"
        )
    if free_pages is None:
        free_pages = site_settings_get().default_free_pages
    try:
        details = details_check(
            title=title,
            description=description,
            tags=tags,
            category=category,
            price=price,
            free_pages=free_pages,
        )
    except DocumentRejected as exc:
        raise UploadRejected(exc.code, exc.message, field=exc.field) from exc
    suspended = upload_suspension(uploader)
    if suspended:
        raise UploadRejected("suspended", suspended)
    if enforce_quota:
        _upload_quota_check(uploader)
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
        if content_banned(sha256):
            raise UploadRejected("banned", BANNED)
        existing = _live_copy(sha256)
        if (
            existing is not None
            and existing.status == DocumentStatus.UNLISTED
            and existing.uploader_id == uploader.pk
        ):
            # The uploader brings back what they unlisted: one document, its
            # number, pages and buyers, rather than a second copy.
            return document_relist(document=existing, by=uploader)
        if existing is not None:
            raise _duplicate(existing, uploader=uploader)
        storage_name = f"originals/{sha256[:2]}/{sha256}.{file_type}"
        saved_here = not default_storage.exists(storage_name)
        if saved_here:
            with path.open("rb") as handle:
                storage_name = default_storage.save(storage_name, File(handle))
        try:
            with transaction.atomic():
                if enforce_quota:
                    # Concurrent uploads of one member count one after another.
                    User.objects.select_for_update().filter(pk=uploader.pk).first()
                    _upload_quota_check(uploader)
                document = _create_with_unique_number(
                    title=details.title or _title_from_name(file_name),
                    description=details.description,
                    tags=details.tags,
                    category=details.category,
                    uploader=uploader,
                    original=storage_name,
                    original_name=Path(file_name).name[:255],
                    file_type=file_type,
                    sha256=sha256,
                    size=size,
                    price=details.price,
                    free_pages=details.free_pages,
                )
                queue_conversion(document.pk)
        except UploadRejected:
            # Lost the race to a concurrent upload of the same bytes: keep no orphan.
            if (
                saved_here
                and not Document.objects.filter(original=storage_name).exists()
            ):
                default_storage.delete(storage_name)
            raise
    return document


def _create_with_unique_number(**fields: Any) -> Document:
    for _attempt in range(10):
        try:
            with transaction.atomic():
                return Document.objects.create(number=new_document_number(), **fields)
        except IntegrityError:
            # Either a concurrent upload of the same bytes committed first (the
            # doc_live_sha256_unique constraint) or, rarely, the number was taken.
            existing = _live_copy(fields["sha256"])
            if existing is not None:
                raise _duplicate(existing, uploader=fields["uploader"]) from None
    raise RuntimeError("could not allocate a document number")
