"""Writes for conversion: convert and publish a document, re-render, re-queue."""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from wenku import search
from wenku.conversion import limits, pipeline
from wenku.conversion.base import Artifact, ConversionError, ConverterCrashed
from wenku.documents.models import Document, DocumentStatus, Page
from wenku.wallet.services import wallet_reward_upload

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.3  # seconds between progress writes; stage changes always write
RECONVERTIBLE = (
    DocumentStatus.PUBLISHED,
    DocumentStatus.IN_REVIEW,
    DocumentStatus.FAILED,
)


def document_convert(*, document_id: int) -> str:
    """Convert a processing document and publish it, or fail it with a reason.

    Idempotent: anything not `processing` is left alone. Returns "published",
    "failed" or "skipped"; raises ConverterCrashed when a retry may still succeed.
    """
    max_attempts = settings.CONVERSION["MAX_ATTEMPTS"]
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status != DocumentStatus.PROCESSING:
            return "skipped"
        document.conversion_attempts += 1
        document.progress_stage = "converting"
        document.progress_current = document.progress_total = 0
        document.save(
            update_fields=[
                "conversion_attempts",
                "progress_stage",
                "progress_current",
                "progress_total",
                "updated_at",
            ]
        )
    attempts = document.conversion_attempts
    if attempts > max_attempts:
        # Only a worker killed mid-job gets here: it never reached the except below.
        _fail(document_id, ConversionError("crashed", f"{attempts - 1} attempts"))
        return "failed"
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="wenku-job-") as tmp:
        workdir = Path(tmp)
        source = workdir / f"source.{document.file_type}"
        with (
            default_storage.open(str(document.original.name), "rb") as src,
            source.open("wb") as dst,
        ):
            shutil.copyfileobj(src, dst, 1024 * 1024)
        try:
            artifact = pipeline.run(
                limits.context_from_settings(),
                source,
                document.file_type,
                workdir,
                progress=_ProgressRecorder(document_id),
            )
        except ConverterCrashed as exc:
            if attempts >= max_attempts:
                _fail(document_id, ConversionError("crashed", f"{attempts} attempts"))
                return "failed"
            logger.warning(
                "document %s: converter crashed (%s), retrying", document_id, exc
            )
            raise
        except ConversionError as exc:
            logger.info("document %s failed: %s", document_id, exc)
            _fail(document_id, exc)
            return "failed"
        stored = _store_files(document, artifact)
    try:
        published = _publish(document_id, artifact, stored)
    except BaseException:
        _delete_files(stored.all_names())
        raise
    if not published:  # another run finished first; keep its files, drop ours
        _delete_files(stored.all_names())
        return "skipped"
    logger.info(
        "document %s published: %s pages in %.2fs",
        document_id,
        artifact.page_count,
        time.monotonic() - started,
    )
    return "published"


class _ProgressRecorder:
    """Writes progress to the Document so the upload page can poll it (throttled)."""

    def __init__(self, document_id: int) -> None:
        self.document_id = document_id
        self.last_stage = ""
        self.last_write = 0.0

    def __call__(self, stage: str, current: int, total: int) -> None:
        now = time.monotonic()
        if (
            stage == self.last_stage
            and now - self.last_write < PROGRESS_EVERY
            and current not in (1, total)
        ):
            return
        self.last_stage, self.last_write = stage, now
        Document.objects.filter(
            pk=self.document_id, status=DocumentStatus.PROCESSING
        ).update(
            progress_stage=stage,
            progress_current=current,
            progress_total=total,
            updated_at=timezone.now(),
        )


class _StoredFiles:
    def __init__(self) -> None:
        self.pages: dict[int, str] = {}
        self.cover = ""

    def all_names(self) -> list[str]:
        return [*self.pages.values(), *([self.cover] if self.cover else [])]


def _store_files(document: Document, artifact: Artifact) -> _StoredFiles:
    """Save page images and cover under a fresh folder, so a re-render never
    overwrites what readers are looking at until the new pages are published."""
    stored = _StoredFiles()
    generation = secrets.token_hex(4)
    try:
        for page in artifact.pages:
            if page.image is None:
                continue
            name = f"pages/{document.number}/{generation}/{page.number}.webp"
            with page.image.open("rb") as handle:
                stored.pages[page.number] = default_storage.save(name, File(handle))
        if artifact.cover is not None:
            name = f"covers/{document.number}/{generation}.webp"
            with artifact.cover.open("rb") as handle:
                stored.cover = default_storage.save(name, File(handle))
    except BaseException:
        _delete_files(stored.all_names())
        raise
    return stored


def _publish(document_id: int, artifact: Artifact, stored: _StoredFiles) -> bool:
    """Pages, text, index entry and status in one transaction: all or nothing."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status != DocumentStatus.PROCESSING:
            return False
        old_files = [
            name
            for name in document.pages.exclude(image="").values_list("image", flat=True)
        ]
        if document.cover:
            old_files.append(document.cover.name)
        document.pages.all().delete()
        pages = Page.objects.bulk_create(
            Page(
                document=document,
                number=page.number,
                image=stored.pages.get(page.number, ""),
                width=page.width,
                height=page.height,
                text=page.text,
            )
            for page in artifact.pages
            if page.number in stored.pages
        )
        document.page_count = artifact.page_count
        document.rendered_pages = len(stored.pages)
        document.text = artifact.text
        document.keywords = list(artifact.keywords)
        document.cover = stored.cover
        document.status = DocumentStatus.PUBLISHED
        document.published_at = document.published_at or timezone.now()
        document.failure_code = document.failure_reason = ""
        document.progress_stage = "done"
        document.progress_current = document.progress_total = artifact.page_count
        document.save()
        search.index_document(
            document, pages=[(page.number, page.text) for page in pages]
        )
        # The uploader's reward is part of publishing: granted once per document.
        wallet_reward_upload(document=document)
        transaction.on_commit(lambda: _delete_files(old_files))
    return True


def _fail(document_id: int, error: ConversionError) -> None:
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status != DocumentStatus.PROCESSING:
            return
        document.status = DocumentStatus.FAILED
        document.failure_code = error.code[:40]
        document.failure_reason = error.reason[:500]
        document.progress_stage = "failed"
        document.save(
            update_fields=[
                "status",
                "failure_code",
                "failure_reason",
                "progress_stage",
                "updated_at",
            ]
        )
        search.remove_document(document)


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not delete %s", name)


def document_reconvert(*, document: Document) -> Document:
    """Re-render one document (admin): back to processing, then converted again."""
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status not in RECONVERTIBLE:
            raise ValueError(f"cannot re-render a document that is {locked.status}")
        locked.status = DocumentStatus.PROCESSING
        locked.conversion_attempts = 0
        locked.progress_stage = "queued"
        locked.progress_current = locked.progress_total = 0
        locked.failure_code = locked.failure_reason = ""
        locked.save()
        search.remove_document(locked)
        _queue(locked.pk)
    return locked


def document_reconvert_all() -> int:
    """Re-render every published, in-review or failed document; returns how many."""
    count = 0
    ids = Document.objects.filter(status__in=RECONVERTIBLE).values_list("pk", flat=True)
    for document in Document.objects.filter(pk__in=list(ids)).iterator():
        document_reconvert(document=document)
        count += 1
    return count


def requeue_stuck_documents(*, older_than_seconds: int | None = None) -> int:
    """Queue again documents left `processing` (e.g. after the worker was killed).

    A duplicate of a job still in the queue is harmless: conversion is idempotent.
    """
    if older_than_seconds is None:
        older_than_seconds = settings.CONVERSION["REQUEUE_AFTER"]
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        Document.objects.filter(
            status=DocumentStatus.PROCESSING, updated_at__lte=cutoff
        ).values_list("pk", flat=True)
    )
    for document_id in ids:
        with transaction.atomic():
            Document.objects.filter(pk=document_id).update(
                progress_stage="queued", updated_at=timezone.now()
            )
            _queue(document_id)
    if ids:
        logger.info("re-queued %s documents left processing", len(ids))
    return len(ids)


def _queue(document_id: int) -> None:
    from wenku.conversion.tasks import convert_document

    transaction.on_commit(lambda: convert_document.delay(document_id=document_id))
