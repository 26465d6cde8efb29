"""View counts without a write per read.

Each web process tallies views in memory (``core.tally``); a thread of that process
writes them every ``settings.VIEW_FLUSH_SECONDS`` in one transaction (one
``UPDATE … views = views + n`` per document viewed), and at exit. On SQLite this
turns a write lock per page view into one short write per interval per process.
The counts a page shows lag by at most the interval, and a page kept by the page
cache shows its count as rendered (at most ``PAGE_CACHE_SECONDS`` old).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from wenku.core.tally import Tally
from wenku.documents.models import Document


def _write(batch: dict[int, int]) -> None:
    with transaction.atomic():
        for document_id, views in sorted(batch.items()):
            Document.objects.filter(pk=document_id).count_quietly(
                views=F("views") + views
            )


_views: Tally[int] = Tally("views", _write)


def views_flush() -> int:
    """Write the tally of this process; how many views were written."""
    return _views.flush()


def document_record_view(*, document: Document) -> None:
    """Count a page view: in memory now, in the database within the interval."""
    _views.add(document.pk)


def document_record_view_id(document_id: int, _environ: object = None) -> None:
    """The same by id (a page served from the page cache has no Document)."""
    _views.add(document_id)
