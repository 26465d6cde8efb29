"""Celery tasks for conversion: thin wrappers around services.

Time limits come from CELERY_TASK_TIME_LIMIT / SOFT_TIME_LIMIT (settings, derived
from WENKU_CONVERT_TIMEOUT). A worker killed mid-job redelivers the message
(acks_late + reject_on_worker_lost); Document.conversion_attempts caps the loop.
"""

from __future__ import annotations

from celery import shared_task

from wenku.conversion.base import ConverterCrashed


@shared_task(
    name="wenku.convert_document",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=2,
    default_retry_delay=1,
)
def convert_document(self, *, document_id: int) -> str:  # type: ignore[no-untyped-def]
    """Convert and publish one document (idempotent)."""
    from wenku.conversion.services import document_convert

    try:
        return document_convert(document_id=document_id)
    except ConverterCrashed as exc:
        raise self.retry(exc=exc) from exc
