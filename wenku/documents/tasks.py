"""Celery tasks of documents: thin wrappers around services.

Time limits come from CELERY_TASK_TIME_LIMIT / SOFT_TIME_LIMIT (settings, derived
from WENKU_CONVERT_TIMEOUT). A worker killed mid-job redelivers the message
(acks_late + reject_on_worker_lost); Document.conversion_attempts caps the loop.
The worker hooks below live here because every worker imports this module.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.signals import worker_process_init, worker_process_shutdown, worker_ready
from django.conf import settings

from wenku.conversion.base import ConverterCrashed
from wenku.conversion.converters import pool_for
from wenku.conversion.limits import context_from_settings
from wenku.conversion.office import close_pools
from wenku.conversion.procs import sweep_scratch
from wenku.documents.services.conversion_job import document_convert
from wenku.documents.services.lifecycle import requeue_stuck_documents


@shared_task(
    name="wenku.convert_document",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    default_retry_delay=1,
)
def convert_document(self, *, document_id: int) -> str:  # type: ignore[no-untyped-def]
    """Convert and publish one document (idempotent)."""
    try:
        return document_convert(document_id=document_id)
    except ConverterCrashed as exc:
        # The attempt cap is Document.conversion_attempts (WENKU_CONVERT_MAX_ATTEMPTS):
        # document_convert fails the document itself at the last attempt.
        raise self.retry(
            exc=exc, max_retries=settings.CONVERSION["MAX_ATTEMPTS"]
        ) from exc


@shared_task(
    name="wenku.requeue_expired_conversions",
    time_limit=60,
    soft_time_limit=50,
)
def requeue_expired_conversions() -> int:
    """Periodic: queue again documents whose conversion lease ran out."""
    return requeue_stuck_documents()


logger = logging.getLogger(__name__)


@worker_process_init.connect
def warm_office_pool(**kwargs: Any) -> None:
    """Start this child's LibreOffice now, in the background, not on the first job."""
    pool_for(context_from_settings()).warm_in_background(1)


@worker_process_shutdown.connect
def stop_office_pool(**kwargs: Any) -> None:
    close_pools()


@worker_ready.connect
def sweep_at_start(**kwargs: Any) -> None:
    """Scratch folders of killed workers go; documents they left are queued again."""
    removed = sweep_scratch()
    if removed:
        logger.info(
            "removed %d scratch folders of processes that are gone", len(removed)
        )
    try:
        requeue_stuck_documents()
    except Exception:
        logger.exception("could not re-queue stuck documents")
