"""View counts without a write per read.

Each web process adds views to an in-memory tally; a daemon thread of that process
writes the tally every ``settings.VIEW_FLUSH_SECONDS`` in one transaction (one
``UPDATE … views = views + n`` per document viewed), and at exit. On SQLite this
turns a write lock per page view into one short write per interval per process.
The counts a page shows lag by at most the interval; a process killed outright
loses at most one interval of views. ``VIEW_FLUSH_SECONDS = 0`` writes at once
(tests that count views exactly).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections import Counter

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F

from wenku.documents.models import Document

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_pending: Counter[int] = Counter()
_flusher: dict[str, object] = {}  # pid -> thread: a forked child starts its own


def views_flush() -> int:
    """Write the tally of this process; how many views were written."""
    with _lock:
        tally = dict(_pending)
        _pending.clear()
    if not tally:
        return 0
    try:
        with transaction.atomic():
            for document_id, views in sorted(tally.items()):
                Document.objects.filter(pk=document_id).update(views=F("views") + views)
    except Exception:  # the database is away: keep the views for the next flush
        logger.exception("view counts not written; kept for the next flush")
        with _lock:
            _pending.update(tally)
        return 0
    return sum(tally.values())


def _run(interval: float) -> None:
    stop = threading.Event()
    while not stop.wait(interval):
        views_flush()
        close_old_connections()


def _ensure_flusher() -> None:
    key = str(os.getpid())
    if key in _flusher:
        return
    with _lock:
        if key in _flusher:
            return
        thread = threading.Thread(
            target=_run,
            args=(settings.VIEW_FLUSH_SECONDS,),
            name="wenku-view-flush",
            daemon=True,
        )
        _flusher.clear()
        _flusher[key] = thread
    thread.start()


def document_record_view(*, document: Document) -> None:
    """Count a page view: in memory now, in the database within the interval."""
    if settings.VIEW_FLUSH_SECONDS <= 0:
        Document.objects.filter(pk=document.pk).update(views=F("views") + 1)
        return
    with _lock:
        _pending[document.pk] += 1
    _ensure_flusher()


atexit.register(views_flush)
