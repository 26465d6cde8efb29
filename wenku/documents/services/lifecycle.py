"""The life of a document after upload: queue and re-queue its conversion, re-render,
take down, restore, unlist. The conversion job itself is in conversion_job.py."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wenku import jobs
from wenku.accounts.models import User
from wenku.documents.models import Document, DocumentStatus
from wenku.documents.services.details import DocumentRejected
from wenku.documents.services.leases import IN_FLIGHT
from wenku.documents.services.near_duplicates import near_duplicate_status_changed
from wenku.search import services as search
from wenku.wallet.services import wallet_reverse_upload_reward

logger = logging.getLogger(__name__)

CONVERT_TASK = "wenku.convert_document"
RECONVERTIBLE = (
    DocumentStatus.PUBLISHED,
    DocumentStatus.IN_REVIEW,
    DocumentStatus.FAILED,
)


def queue_conversion(document_id: int) -> None:
    """Queue the conversion job once the current transaction commits (a broker that is
    down fails nothing: the sweep below queues the document again later)."""
    jobs.enqueue_on_commit(CONVERT_TASK, document_id=document_id)


def document_reconvert(*, document: Document) -> Document:
    """Re-render one document (admin): back to processing, then converted again."""
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status not in RECONVERTIBLE:
            raise ValueError(f"cannot re-render a document that is {locked.status}")
        locked.status = DocumentStatus.PROCESSING
        locked.conversion_attempts = 0
        locked.lease_owner, locked.lease_expires_at = "", None
        locked.progress_stage = "queued"
        locked.progress_current = locked.progress_total = 0
        locked.failure_code = locked.failure_reason = ""
        locked.save()
        search.remove_document(locked)
        queue_conversion(locked.pk)
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
    """Queue again the documents in flight (`processing`, or published early and
    still rendering) that no live worker is converting.

    Those whose lease ran out (the worker died mid-job), and those never claimed
    for `older_than_seconds` (default WENKU_CONVERT_UNCLAIMED_AFTER: the message was
    lost, e.g. the broker was down at upload). Run every few seconds by beat and at
    worker start; a duplicate of a job still queued is harmless (claims are checked).
    """
    if older_than_seconds is None:
        older_than_seconds = settings.CONVERSION["UNCLAIMED_AFTER"]
    now = timezone.now()
    ids = list(
        Document.objects.filter(IN_FLIGHT)
        .filter(
            Q(lease_expires_at__lt=now)
            | Q(
                lease_expires_at__isnull=True,
                updated_at__lte=now - timedelta(seconds=older_than_seconds),
            )
        )
        .values_list("pk", "number")
    )
    for document_id, number in ids:
        with transaction.atomic():
            Document.objects.filter(pk=document_id).update(
                progress_stage="queued",
                lease_owner="",
                lease_expires_at=None,
                updated_at=timezone.now(),
            )
            queue_conversion(document_id)
        logger.info("document %s re-queued: no worker holds it", number)
    return len(ids)


def document_set_status(
    *, document: Document, status: str, reason: str = ""
) -> Document:
    """Move a document to a moderation state, keeping the search index in step."""
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
        near_duplicate_status_changed(document=locked)
    return locked


def document_unlist(*, document: Document, by: User) -> Document:
    """The uploader withdraws a document: gone from the site, listings and search,
    while every buyer keeps reading and downloading it from 我的购买.

    An upload reward is taken back when the document goes within the rules' window,
    so uploading and unlisting cannot farm points. A document that is taken down
    stays taken down (unlisting is not a way around moderation).
    """
    if document.status in (DocumentStatus.TAKEN_DOWN, DocumentStatus.DELETED):
        raise DocumentRejected(
            "not_unlistable",
            "该文档已下架，无需撤下 / This document is already off the site",
        )
    with transaction.atomic():
        document = document_set_status(
            document=document, status=DocumentStatus.UNLISTED
        )
        wallet_reverse_upload_reward(document=document)
    logger.info("document %s unlisted by %s", document.number, by.pk)
    return document


def document_relist(*, document: Document, by: User) -> Document:
    """Bring an unlisted document back: published again with its number, pages,
    buyers and counters (or converted again if it never finished)."""
    if document.status != DocumentStatus.UNLISTED:
        return document
    if document.published_at is None:
        with transaction.atomic():
            document = document_set_status(
                document=document, status=DocumentStatus.PROCESSING
            )
            queue_conversion(document.pk)
        return document
    document = document_set_status(document=document, status=DocumentStatus.PUBLISHED)
    logger.info("document %s relisted by %s", document.number, by.pk)
    return document
