"""Writes of the search app: index entries, the query log and related documents."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from wenku import jobs
from wenku.core import pagecache
from wenku.core.clientip import anonymous_visitor_hash
from wenku.core.tally import Tally
from wenku.documents.models import Document, DocumentStatus, Page
from wenku.search.backends import IndexEntry, get_backend
from wenku.search.models import (
    FoldedPage,
    RelatedDocument,
    SearchClick,
    SearchQuery,
    SearchQueryVisitor,
)
from wenku.search.related import body_text, compute_related, loggable_query
from wenku.search.tokenize import (
    MAX_BODY_TOKENS,
    fold,
    index_text,
    segment,
)

logger = logging.getLogger(__name__)

RELATED_STORED = 12


def index_entry_for(
    document: Document, folded_pages: list[tuple[int, str]] | None = None
) -> IndexEntry:
    """Segmented index text of a document's title, tags and keywords, description, body.

    ``folded_pages`` (number, folded text) saves folding the body a second time.
    """
    keywords = [str(word) for word in document.keywords or []]
    if folded_pages:
        words = segment("\n".join(text for _, text in folded_pages))
        body = " ".join(words[:MAX_BODY_TOKENS])
    else:
        body = index_text(body_text(document), max_tokens=MAX_BODY_TOKENS)
    return IndexEntry(
        title=index_text(document.title),
        tags=index_text(" ".join([document.tags, *keywords])),
        description=index_text(document.description),
        body=body,
    )


def index_document(
    document: Document,
    *,
    refresh_related: bool = True,
    pages: Sequence[tuple[int, str]] | None = None,
) -> None:
    """Add or refresh the document in the index, in the caller's transaction.

    The index entry and the folded page texts (``FoldedPage``) are written
    together. ``pages`` are (number, text) of every stored page when the caller
    has them at hand (the conversion that just wrote them); they are read back
    otherwise. Related documents are recomputed by a task queued after commit, so
    publishing stays fast; a document that is not published is removed instead.
    """
    if document.status != DocumentStatus.PUBLISHED:
        remove_document(document)
        return
    if pages is None:
        with connection.cursor() as cursor:
            cursor.execute(PAGES_SQL, [document.pk])
            pages = cursor.fetchall()
    folded_pages = [(number, fold(text)) for number, text in sorted(pages)]
    get_backend().upsert(document.pk, index_entry_for(document, folded_pages))
    _store_folded_pages(document.pk, folded_pages)
    if refresh_related:
        jobs.enqueue_on_commit("wenku.search.refresh_related", document_id=document.pk)


# Raw SQL: indexing runs once per published document, and the ORM's per-call cost
# (query compilation, the delete collector) was most of the time these writes took.
PAGES_SQL = (
    f"SELECT number, text FROM {Page._meta.db_table} "  # noqa: S608
    "WHERE document_id = %s ORDER BY number"
)
FOLDED_TABLE = FoldedPage._meta.db_table


FOLDED_CHUNK = 1000  # pages per INSERT (3 parameters each: within every limit)


def _store_folded_pages(document_id: int, pages: list[tuple[int, str]]) -> None:
    """Replace the document's folded pages: upsert each, drop any past the last."""
    with connection.cursor() as cursor:
        for start in range(0, len(pages), FOLDED_CHUNK):
            chunk = pages[start : start + FOLDED_CHUNK]
            cursor.execute(
                f"INSERT INTO {FOLDED_TABLE} (document_id, number, text) VALUES "  # noqa: S608
                + ", ".join(["(%s, %s, %s)"] * len(chunk))
                + " ON CONFLICT (document_id, number) DO UPDATE SET text = excluded.text",
                [
                    value
                    for number, text in chunk
                    for value in (document_id, number, text)
                ],
            )
        cursor.execute(
            f"DELETE FROM {FOLDED_TABLE} WHERE document_id = %s AND number > %s",  # noqa: S608
            [document_id, max((number for number, _ in pages), default=0)],
        )


def remove_document(document: Document) -> None:
    """Drop the document from the index and from stored related lists."""
    get_backend().delete(document.pk)
    FoldedPage.objects.filter(document=document).delete()
    RelatedDocument.objects.filter(Q(document=document) | Q(related=document)).delete()


def log_query(
    query: str,
    clicked_document: Document | None = None,
    *,
    visitor: str = "",
    times: int = 1,
) -> None:
    """Count a search (or a click from its results); stores no user and no IP.

    `visitor` (a keyed hash, `core.clientip.visitor_hash`) counts distinct
    searchers: suggestions offer only queries enough of them made.
    """
    text = loggable_query(query)
    if not text:
        return
    with transaction.atomic():
        entry = _query_row(text, increment=times if clicked_document is None else 0)
        if clicked_document is None:
            if visitor:
                _count_visitor(entry, visitor)
            return
        updated = SearchClick.objects.filter(
            query=entry, document=clicked_document
        ).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    SearchClick.objects.create(
                        query=entry, document=clicked_document, count=1
                    )
            except IntegrityError:  # a concurrent first click won the insert
                SearchClick.objects.filter(
                    query=entry, document=clicked_document
                ).update(count=F("count") + 1)


def _count_visitor(entry: SearchQuery, visitor: str) -> None:
    # Past the threshold the query is a suggestion: no more visitors to keep.
    if entry.visitors >= settings.SUGGEST_MIN_VISITORS:
        return
    try:
        with transaction.atomic():
            SearchQueryVisitor.objects.create(query=entry, visitor=visitor)
    except IntegrityError:  # this visitor searched it before
        return
    SearchQuery.objects.filter(pk=entry.pk).update(visitors=F("visitors") + 1)


def _query_row(text: str, *, increment: int) -> SearchQuery:
    updated = SearchQuery.objects.filter(text=text).update(
        count=F("count") + increment, last_searched_at=timezone.now()
    )
    if not updated:
        try:
            with transaction.atomic():
                return SearchQuery.objects.create(text=text, count=increment)
        except IntegrityError:  # a concurrent first search won the insert
            SearchQuery.objects.filter(text=text).update(count=F("count") + increment)
    return SearchQuery.objects.get(text=text)


def _write_searches(batch: dict[tuple[str, str], int]) -> None:
    for (query, visitor), times in batch.items():
        log_query(query, visitor=visitor, times=times)


_searches: Tally[tuple[str, str]] = Tally("searches", _write_searches)


def query_log_record(query: str, *, visitor: str) -> None:
    """Count a search in the query log: in memory now, written in a batch (no write
    per search page)."""
    _searches.add((query, visitor))


def query_log_hit(query: str, environ: dict[str, Any]) -> None:
    """A results page served from the page cache: count it like a rendered one."""
    query_log_record(query, visitor=anonymous_visitor_hash(environ))


def related_refresh(*, document: Document) -> int:
    """Recompute and store the document's 相关资源; returns how many were stored."""
    if document.status != DocumentStatus.PUBLISHED:
        RelatedDocument.objects.filter(document=document).delete()
        return 0
    related = compute_related(document, limit=RELATED_STORED)
    with transaction.atomic():
        RelatedDocument.objects.filter(document=document).delete()
        RelatedDocument.objects.bulk_create(
            RelatedDocument(document=document, related=other, position=i, score=score)
            for i, (other, score) in enumerate(related)
        )
        # Its page lists them: a new related document shows at the next request.
        pagecache.invalidate(pagecache.document_tag(document.pk))
    return len(related)


def related_refresh_stale(*, older_than_days: int = 7, batch: int = 200) -> int:
    """Refresh the related lists computed longest ago (new documents join them)."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    stale_ids = list(
        RelatedDocument.objects.filter(computed_at__lt=cutoff, position=0)
        .order_by("computed_at")
        .values_list("document_id", flat=True)[:batch]
    )
    for document in Document.objects.filter(pk__in=stale_ids).select_related(
        "category"
    ):
        related_refresh(document=document)
    return len(stale_ids)
