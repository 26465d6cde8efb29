"""Celery tasks for conversion: thin wrappers around services.

Time limits come from CELERY_TASK_TIME_LIMIT / SOFT_TIME_LIMIT (settings, derived
from WENKU_CONVERT_TIMEOUT). A worker killed mid-job redelivers the message
(acks_late + reject_on_worker_lost); Document.conversion_attempts caps the loop.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from wenku.conversion.base import ConverterCrashed


@shared_task(
    name="wenku.convert_document",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    default_retry_delay=1,
)
def convert_document(self, *, document_id: int) -> str:  # type: ignore[no-untyped-def]
    """Convert and publish one document (idempotent)."""
    from wenku.conversion.services import document_convert

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
    from wenku.conversion.services import requeue_stuck_documents

    return requeue_stuck_documents()
