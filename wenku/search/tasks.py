"""Celery tasks of the search app (thin wrappers around services)."""

from __future__ import annotations

from celery import shared_task

from wenku.documents.models import Document
from wenku.search.services import related_refresh, related_refresh_stale


@shared_task(
    name="wenku.search.refresh_related",
    acks_late=True,
    max_retries=2,
    time_limit=120,
    soft_time_limit=100,
)
def refresh_related(*, document_id: int) -> None:
    """Recompute a document's 相关资源 after it was published or edited."""
    document = (
        Document.objects.select_related("category").filter(pk=document_id).first()
    )
    if document is None:
        return
    related_refresh(document=document)


@shared_task(
    name="wenku.search.refresh_stale_related",
    acks_late=True,
    max_retries=1,
    time_limit=1800,
    soft_time_limit=1700,
)
def refresh_stale_related() -> None:
    """Periodic: refresh the oldest related lists so new documents appear in them."""
    related_refresh_stale()
