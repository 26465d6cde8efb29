"""Celery application, configured from Django settings (CELERY_* names)."""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path
from typing import IO, Any

from celery import Celery
from celery.signals import beat_init
from kombu.transport import TRANSPORT_ALIASES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenku.settings")

# The embedded broker (wenku/broker.py), by name: kombu refuses import paths in URLs.
TRANSPORT_ALIASES["wenku-sqlite"] = "wenku.broker:Transport"

app = Celery("wenku")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)
_held: list[IO[str]] = []


@beat_init.connect
def one_scheduler_per_schedule(sender: Any = None, **kwargs: Any) -> None:
    """A second scheduler on the same schedule file exits instead of running every
    periodic job twice (its supervisor retries until the first one is gone)."""
    schedule = getattr(sender, "schedule_filename", None) or "celerybeat-schedule"
    handle = Path(f"{schedule}.lock").open("a")  # noqa: SIM115 — held for life
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        logger.error("another scheduler runs on %s; exiting", schedule)
        os._exit(3)
    _held.append(handle)
