"""Writes of the search app: index entries, the query log and related documents."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Substr
from django.utils import timezone

from wenku import jobs
from wenku.documents.models import Document, DocumentStatus, Page
from wenku.search.backends import IndexEntry, get_backend
from wenku.search.models import (
    FoldedPage,
    RelatedDocument,
    SearchClick,
    SearchQuery,
)
from wenku.search.tokenize import (
    MAX_BODY_TOKENS,
    STOPWORDS,
    fold,
    index_text,
    normalize_query,
    segment,
    tokens,
)

logger = logging.getLogger(__name__)

RELATED_STORED = 12
RELATED_CANDIDATES = 60
RELATED_TERMS = 12
SAME_CATEGORY_BOOST = 1.5
SAME_ROOT_BOOST = 1.2
RELATED_MIN_SIMILARITY = 0.08
RELATED_TEXT_CHARS = 5000
LOG_MIN_CHARS, LOG_MAX_CHARS = 2, 30
_HAS_WORD = re.compile(r"[^\W\d_]")


def _body_text(document: Document) -> str:
    if document.text:
        return document.text
    return "\n".join(document.pages.order_by("number").values_list("text", flat=True))


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
        body = index_text(_body_text(document), max_tokens=MAX_BODY_TOKENS)
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


def loggable_query(query: str) -> str:
    """The normalised text worth keeping in the query log, or "" for junk."""
    text = normalize_query(query)
    if not LOG_MIN_CHARS <= len(text) <= LOG_MAX_CHARS:
        return ""
    if not _HAS_WORD.search(text):  # punctuation or digits only
        return ""
    return text


def log_query(query: str, clicked_document: Document | None = None) -> None:
    """Count a search (or a click from its results); stores no user and no IP."""
    text = loggable_query(query)
    if not text:
        return
    with transaction.atomic():
        entry = _query_row(text, searched=clicked_document is None)
        if clicked_document is None:
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


def _query_row(text: str, *, searched: bool) -> SearchQuery:
    increment = 1 if searched else 0
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


def related_terms(document: Document) -> list[str]:
    """Words that describe the document: keywords, title words, frequent body words."""
    terms: list[str] = []
    for keyword in document.keywords or []:
        terms.extend(tokens(str(keyword)))
    terms.extend(tokens(document.title))
    terms.extend(tokens(document.tags))
    body = Counter(tokens(_body_text(document)[:20_000]))
    terms.extend(word for word, _ in body.most_common(40))
    useful = [
        word
        for word in dict.fromkeys(terms)
        if len(word) >= 2 and word not in STOPWORDS and not word.isdigit()
    ]
    return useful[:RELATED_TERMS]


def _profile(title: str, rest: str) -> Counter[str]:
    """Content words of a document, title words counted three times."""
    words = tokens(title) * 3 + tokens(rest)
    return Counter(
        word
        for word in words
        if len(word) >= 2 and word not in STOPWORDS and not word.isdigit()
    )


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(weight * b[word] for word, weight in a.items() if word in b)
    norm = math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def compute_related(document: Document, *, limit: int) -> list[tuple[Document, float]]:
    """Similar published documents by shared words, same category boosted.

    The index finds candidates sharing any of the document's words; each is then
    scored by TF-IDF cosine over title, tags, description and the opening text
    (IDF taken over the candidate pool, so words every candidate has count for
    little). Excludes the document itself and exact duplicates (same sha256).
    """
    words = related_terms(document)
    if not words:
        return []
    candidates = get_backend().any_of(
        words, limit=RELATED_CANDIDATES, exclude_id=document.pk
    )
    found = (
        Document.objects.select_related("category")
        .defer("text")
        .annotate(opening=Substr("text", 1, RELATED_TEXT_CHARS))
        .in_bulk([pk for pk, _ in candidates])
    )
    profiles = {
        pk: _profile(other.title, f"{other.tags} {other.description} {other.opening}")
        for pk, other in found.items()
        if other.sha256 != document.sha256
    }
    source = _profile(
        document.title,
        f"{document.tags} {document.description} "
        f"{_body_text(document)[:RELATED_TEXT_CHARS]}",
    )
    pool = [source, *profiles.values()]
    frequency = Counter(word for profile in pool for word in profile)
    idf = {word: math.log(1 + len(pool) / count) for word, count in frequency.items()}

    def weigh(profile: Counter[str]) -> dict[str, float]:
        return {w: (1 + math.log(n)) * idf[w] for w, n in profile.items()}

    source_vector = weigh(source)
    root = _root_id(document)
    scored: list[tuple[Document, float]] = []
    seen_titles: set[str] = set()
    for pk, _ in candidates:
        if pk not in profiles:
            continue
        other = found[pk]
        title_key = " ".join(tokens(other.title))
        if title_key in seen_titles:  # same title twice reads as a duplicate
            continue
        seen_titles.add(title_key)
        score = _cosine(source_vector, weigh(profiles[pk]))
        if score < RELATED_MIN_SIMILARITY:
            continue
        if document.category_id and other.category_id == document.category_id:
            score *= SAME_CATEGORY_BOOST
        elif root is not None and _root_id(other) == root:
            score *= SAME_ROOT_BOOST
        scored.append((other, round(score, 4)))
    scored.sort(key=lambda pair: -pair[1])
    return scored[:limit]


def _root_id(document: Document) -> int | None:
    category = document.category
    if category is None:
        return None
    return category.parent_id or category.pk


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
