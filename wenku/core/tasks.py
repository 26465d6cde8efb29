"""Small tasks used to prove the queue works end to end."""

from __future__ import annotations

from pathlib import Path

from celery import shared_task


@shared_task(
    name="wenku.ping", acks_late=True, time_limit=30, soft_time_limit=25, max_retries=0
)
def ping(*, marker: str, payload: str) -> str:
    """Write `payload` to the file `marker` (tests poll for it)."""
    Path(marker).write_text(payload, encoding="utf-8")
    return payload
