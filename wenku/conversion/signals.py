"""Celery worker hooks: warm LibreOffice in each pool child, sweep stuck documents."""

from __future__ import annotations

import logging
from typing import Any

from celery.signals import worker_process_init, worker_process_shutdown, worker_ready

logger = logging.getLogger(__name__)


@worker_process_init.connect
def warm_office_pool(**kwargs: Any) -> None:
    """Start this child's LibreOffice now, in the background, not on the first job."""
    from wenku.conversion.converters import pool_for
    from wenku.conversion.limits import context_from_settings

    pool_for(context_from_settings()).warm_in_background(1)


@worker_process_shutdown.connect
def stop_office_pool(**kwargs: Any) -> None:
    from wenku.conversion.office import close_pools

    close_pools()


@worker_ready.connect
def requeue_stuck(**kwargs: Any) -> None:
    """Scratch folders of killed workers go; documents they left are queued again."""
    from wenku.conversion.procs import sweep_scratch
    from wenku.conversion.services import requeue_stuck_documents

    removed = sweep_scratch()
    if removed:
        logger.info(
            "removed %d scratch folders of processes that are gone", len(removed)
        )

    try:
        requeue_stuck_documents()
    except Exception:
        logger.exception("could not re-queue stuck documents")
