"""Who holds a conversion: the lease a worker renews while it converts a document
(an expired lease means the worker died and the job runs again), and the progress
it writes for the upload page to poll."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from wenku.documents.models import Document, DocumentStatus

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.3  # seconds between progress writes; stage changes always write

# A conversion holds these documents: not yet published, or published early while
# its later pages are rendered.
IN_FLIGHT = Q(status=DocumentStatus.PROCESSING) | Q(
    status=DocumentStatus.PUBLISHED, rendering=True
)


def in_flight(document: Document) -> bool:
    return document.status == DocumentStatus.PROCESSING or (
        document.status == DocumentStatus.PUBLISHED and document.rendering
    )


def worker_id() -> str:
    """Who holds a conversion lease: host and process (each prefork child its own)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


class LeaseKeeper:
    """Renews this worker's claim on a document every third of the lease while the
    conversion runs, from a thread (LibreOffice calls block for seconds)."""

    def __init__(self, document_id: int, lease: timedelta) -> None:
        self.document_id = document_id
        self.lease = lease
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LeaseKeeper:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def _run(self) -> None:
        try:
            while not self.stop.wait(self.lease.total_seconds() / 3):
                Document.objects.filter(
                    IN_FLIGHT, pk=self.document_id, lease_owner=worker_id()
                ).update(lease_expires_at=timezone.now() + self.lease)
        except Exception:  # a missed renewal only risks a duplicate run
            logger.exception(
                "could not renew the lease of document %s", self.document_id
            )
        finally:
            connection.close()


class ProgressRecorder:
    """Writes progress to the Document so the upload page can poll it (throttled)."""

    def __init__(self, document_id: int) -> None:
        self.document_id = document_id
        self.last_stage = ""
        self.last_write = 0.0

    def __call__(self, stage: str, current: int, total: int) -> None:
        now = time.monotonic()
        if (
            stage == self.last_stage
            and now - self.last_write < PROGRESS_EVERY
            and current not in (1, total)
        ):
            return
        self.last_stage, self.last_write = stage, now
        Document.objects.filter(IN_FLIGHT, pk=self.document_id).update(
            progress_stage=stage,
            progress_current=current,
            progress_total=total,
            updated_at=timezone.now(),
        )
