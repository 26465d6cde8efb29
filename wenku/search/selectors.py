"""Reads of the search app: search, in-document search, related items, suggestions."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache

from wenku.conversion import registry
from wenku.core.models import Category
from wenku.core.selectors import category_descendant_ids
from wenku.documents.access import (
    DocumentAccess,
    document_access_many,
    public_documents,
)
from wenku.documents.models import Document, Page
from wenku.documents.selectors import cluster_sizes
from wenku.search.backends import Filters, get_backend
from wenku.search.backends.base import SORTS
from wenku.search.clusters import PublishedClusters, one_per_cluster
from wenku.search.hits import HitLoader
from wenku.search.models import (
    FoldedPage,
    RelatedDocument,
    SearchClick,
    SearchQuery,
)
from wenku.search.related import compute_related, loggable_query, related_terms
from wenku.search.snippets import build_snippets
from wenku.search.tokenize import fold, normalize_query, query_tokens

MAX_PER_PAGE = 50
MAX_RESULT_PAGE = 50  # deeper pages cost OFFSET scans and nobody reads them
# Results ranked past the page so that a cluster of near-copies collapses into one
# hit and the pages after it still fill; past the window, the total subtracts the
# clusters' extra members counted over every match (backend.cluster_surplus).
COLLAPSE_WINDOW = 100
_SPACE = re.compile(r"\s+")
RELATED_SEARCHES_TTL = 3600
SUGGEST_FINDS_TTL = 600


@dataclass(frozen=True)
class Hit:
    document: Document
    score: float
    snippet_html: str
    matched_page: int | None = None
    page_locked: bool = False  # the match is on a page this reader may not see
    similar: int = 0  # other published near-copies, collapsed into this hit


@dataclass(frozen=True)
class SearchResults:
    total: int
    results: list[Hit] = field(default_factory=list)
    page: int = 1
    per_page: int = 20
    words: tuple[str, ...] = ()

    @property
    def page_count(self) -> int:
        pages = (self.total + self.per_page - 1) // self.per_page
        return min(pages, MAX_RESULT_PAGE)


def _category_ids(category: Any) -> tuple[int, ...] | None:
    if category in (None, ""):
        return None
    if not isinstance(category, Category):
        text = str(category)
        # ASCII and short: int() refuses "²", and a 20-digit id overflows SQLite.
        is_id = text.isascii() and text.isdigit() and len(text) <= 18
        lookup = {"pk": int(text)} if is_id else {"slug": text[:60]}
        category = Category.objects.filter(**lookup).first()
        if category is None:
            return ()
    return tuple(category_descendant_ids(category))


def _file_types(value: str | None) -> tuple[str, ...] | None:
    """The stored types a format filter selects: a group ("word") or a type in it
    ("docx") means the whole group, as on the listings; anything else only itself."""
    text = (value or "").strip().lower()[:10]
    if not text:
        return None
    group = registry.group_for(text)
    return registry.group_types(group.key) if group else (text,)


def _int_or_none(value: Any) -> int | None:
    try:
        number = None if value in (None, "") else max(0, int(value))
    except (TypeError, ValueError):
        return None
    # No document has more pages than this; a larger bound would overflow SQLite.
    return None if number is None else min(number, 10**9)


def search(
    query: str,
    *,
    user: Any,
    page: int = 1,
    per_page: int = 20,
    category: Any = None,
    file_type: str | None = None,
    pages_min: int | None = None,
    pages_max: int | None = None,
    price: str | None = None,
    sort: str = "relevance",
) -> SearchResults:
    """Published documents matching every word of the query, one page of them.

    Snippets come only from the pages this user may read (``document_access``); a
    match found only past them is reported by page number without its text.
    """
    per_page = max(1, min(_int_or_none(per_page) or 20, MAX_PER_PAGE))
    page = max(1, min(_int_or_none(page) or 1, MAX_RESULT_PAGE))
    words = query_tokens(query or "")
    if not words:
        return SearchResults(total=0, page=page, per_page=per_page)
    filters = Filters(
        category_ids=_category_ids(category),
        file_types=_file_types(file_type),
        pages_min=_int_or_none(pages_min),
        pages_max=_int_or_none(pages_max),
        price=price if price in ("free", "paid") else None,
    )
    sort = sort if sort in SORTS else "relevance"
    backend = get_backend()
    offset = (page - 1) * per_page
    loader = HitLoader()
    # Near-copies show once (their best-ranked member): rank from the top past
    # this page, collapse clusters, take this page, then load its documents.
    check = PublishedClusters()
    fetch = offset + per_page + COLLAPSE_WINDOW
    rows = backend.search(
        words, filters=filters, sort=sort, limit=fetch, offset=0, published=check
    )
    live = check(pk for pk, _ in rows)
    kept, _collapsed = one_per_cluster(
        [(pk, score) for pk, score in rows if pk in live],
        lambda row: check.cluster[row[0]],
    )
    if page == 1 and len(rows) < per_page:
        total = len(kept)  # the whole answer fits on this page: no count needed
    else:
        count = backend.count(words, filters=filters)
        if count <= len(rows):  # the window held every result
            total = len(kept)
        else:  # results past the window: each cluster counted once over them all
            surplus = backend.cluster_surplus(words, filters=filters)
            total = max(count - surplus, len(kept))
    page_rows = kept[offset : offset + per_page]
    loaded = loader.published(pk for pk, _ in page_rows)
    ranked = [(loader.documents[pk], score) for pk, score in page_rows if pk in loaded]
    similar = cluster_sizes(
        [d.cluster_id for d, _ in ranked if d.cluster_id is not None]
    )
    access = document_access_many(
        user=user, documents=[document for document, _ in ranked]
    )
    snippets = build_snippets(
        [(document, access[document.pk]) for document, _ in ranked], words
    )
    hits = []
    for document, score in ranked:
        snippet = snippets[document.pk]
        hits.append(
            Hit(
                document=document,
                score=score,
                snippet_html=snippet.html,
                matched_page=snippet.matched_page,
                page_locked=snippet.page_locked,
                similar=(
                    max(similar.get(document.cluster_id, 1) - 1, 0)
                    if document.cluster_id is not None
                    else 0
                ),
            )
        )
    return SearchResults(
        total=total, results=hits, page=page, per_page=per_page, words=tuple(words)
    )


@dataclass(frozen=True)
class PageMatch:
    page: int
    count: int
    viewable: bool


def search_in_document(
    document: Document, term: str, *, access: DocumentAccess
) -> list[PageMatch]:
    """Pages holding every word of the term, with occurrence counts.

    Matching is on folded text (traditional/simplified, width and case folded).
    ``viewable`` says whether the reader (``access``) may open the page; counts of
    other pages are shown (as on the seed site) but never their text.
    """
    needles = [
        word for word in _SPACE.split(normalize_query(term or "")) if word.strip()
    ][:8]
    if not needles:
        return []
    matches = []
    for number, folded in _folded_pages(document):
        counts = [folded.count(needle) for needle in needles]
        if all(counts):
            matches.append(
                PageMatch(
                    page=number,
                    count=sum(counts),
                    viewable=access.may_view_page(number),
                )
            )
    return matches


def _folded_pages(document: Document) -> Iterator[tuple[int, str]]:
    """(number, folded text) of every page: stored for indexed (published)
    documents, folded here for the others (an uploader checking their upload)."""
    stored = (
        FoldedPage.objects.filter(document=document)
        .order_by("number")
        .values_list("number", "text")
    )
    found = False
    for number, text in stored.iterator(chunk_size=100):
        found = True
        yield number, text
    if found:
        return
    pages = Page.objects.filter(document=document).order_by("number")
    for number, text in pages.values_list("number", "text").iterator(chunk_size=100):
        yield number, fold(text)


def related_documents(document: Document, limit: int = 8) -> list[Document]:
    """Stored 相关资源 of a document, still published; computed on the fly if absent."""
    rows = list(
        RelatedDocument.objects.filter(
            document=document, related__in=public_documents()
        )
        .select_related("related", "related__category")
        .order_by("position")[: 2 * limit]
    )
    if rows:
        found = [row.related for row in rows]
    elif not RelatedDocument.objects.filter(document=document).exists():
        found = [other for other, _ in compute_related(document, limit=2 * limit)]
    else:
        return []
    # One per cluster of near-copies, none of the document's own (the page lists
    # those as its similar versions).
    kept, _dropped = one_per_cluster(
        found, lambda other: other.cluster_id, skip=document.cluster_id
    )
    return kept[:limit]


def has_results(query: str) -> bool:
    """True when the query finds at least one published document."""
    words = query_tokens(query)
    return bool(
        words
        and get_backend().search(
            words, filters=Filters(), sort="relevance", limit=1, offset=0
        )
    )


def related_searches(document: Document, limit: int = 8) -> list[str]:
    """相关搜索: logged queries that led to this or related documents, then keywords.

    Every term returned finds at least one published document. Cached for an hour:
    checking each candidate costs a search.
    """
    key = f"search:related-searches:{document.pk}:{limit}"
    terms = cache.get(key)
    if terms is None:
        terms = _related_searches(document, limit)
        cache.set(key, terms, RELATED_SEARCHES_TTL)
    return terms


def _related_searches(document: Document, limit: int) -> list[str]:
    candidates: list[str] = list(
        SearchClick.objects.filter(document=document)
        .order_by("-count")
        .values_list("query__text", flat=True)[:limit]
    )
    related_ids = list(
        RelatedDocument.objects.filter(document=document)
        .order_by("position")
        .values_list("related_id", flat=True)[:limit]
    )
    if related_ids:
        candidates.extend(
            SearchClick.objects.filter(document_id__in=related_ids)
            .order_by("-count")
            .values_list("query__text", flat=True)[:limit]
        )
    candidates.extend(str(keyword) for keyword in document.keywords or [])
    candidates.extend(related_terms(document))
    terms: list[str] = []
    seen: set[str] = set()
    for candidate in candidates:
        text = loggable_query(candidate)
        if not text or text in seen or text == fold(document.title):
            continue
        seen.add(text)
        if has_results(text):
            terms.append(text)
            if len(terms) >= limit:
                break
    return terms


def _still_finds(query: str) -> bool:
    """has_results, cached a few minutes: suggestions ask it on every keystroke."""
    key = "search:finds:" + hashlib.sha256(query.encode()).hexdigest()[:32]
    found = cache.get(key)
    if found is None:
        found = has_results(query)
        cache.set(key, found, SUGGEST_FINDS_TTL)
    return bool(found)


def suggest(prefix: str, limit: int = 8) -> list[str]:
    """Completions as you type: logged queries that enough distinct visitors made
    (settings.SUGGEST_MIN_VISITORS) and that still find something, then matching
    titles."""
    text = normalize_query(prefix or "")
    limit = max(1, min(int(limit), 20))
    if not text:
        return []
    candidates = (
        SearchQuery.objects.filter(
            text__startswith=text,
            count__gte=1,
            visitors__gte=settings.SUGGEST_MIN_VISITORS,
        )
        .order_by("-count", "text")
        .values_list("text", flat=True)[: limit * 2]
    )
    found: list[str] = [query for query in candidates if _still_finds(query)][:limit]
    words = query_tokens(text)
    if len(found) < limit and words:
        ids = get_backend().title_prefix(words, limit=limit)
        titles = Document.objects.in_bulk(ids)
        found.extend(titles[pk].title for pk in ids if pk in titles)
    return list(dict.fromkeys(found))[:limit]
