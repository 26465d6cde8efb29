"""Celery tasks for conversion (thin wrappers around services)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="wenku.convert_document", acks_late=True, max_retries=2)
def convert_document(*, document_id: int) -> None:
    """Placeholder: the conversion pipeline lands in the conversion app."""
