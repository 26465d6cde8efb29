"""The upload service: validate, store the original, create the Document, queue it."""

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

from wenku.accounts.models import User
from wenku.conversion.sniff import Rejected, sniff
from wenku.core.models import Category
from wenku.core.selectors import site_settings_get
from wenku.documents.models import Document, DocumentStatus
from wenku.documents.numbers import new_document_number
from wenku.documents.services.lifecycle import queue_conversion

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
            queue_conversion(document.pk)
    return document


def _create_with_unique_number(**fields: object) -> Document:
    for _attempt in range(10):
        try:
            with transaction.atomic():
                return Document.objects.create(number=new_document_number(), **fields)
        except IntegrityError:
            continue
    raise RuntimeError("could not allocate a document number")


