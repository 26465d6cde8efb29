"""Periodic moderation jobs."""

from __future__ import annotations

from celery import shared_task

from wenku.moderation.services import counter_notices_restore_due


@shared_task(
    name="wenku.moderation.restore_counter_noticed",
    acks_late=True,
    max_retries=0,
    time_limit=600,
    soft_time_limit=540,
)
def restore_counter_noticed() -> int:
    """Hourly: documents whose counter-notice wait passed without legal action come
    back (idempotent)."""
    return counter_notices_restore_due()
