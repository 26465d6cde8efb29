"""Reads behind related documents and related searches: query normalisation,
term profiles, similarity. No writes (services.py stores what these compute)."""

from __future__ import annotations

import math
import re
from collections import Counter

from django.db.models.functions import Substr

from wenku.documents.models import Document
from wenku.search.backends import get_backend
from wenku.search.tokenize import (
    STOPWORDS,
    normalize_query,
    tokens,
)

RELATED_CANDIDATES = 60
RELATED_TERMS = 12
SAME_CATEGORY_BOOST = 1.5
SAME_ROOT_BOOST = 1.2
RELATED_MIN_SIMILARITY = 0.08
RELATED_TEXT_CHARS = 5000
LOG_MIN_CHARS, LOG_MAX_CHARS = 2, 30
_HAS_WORD = re.compile(r"[^\W\d_]")


def body_text(document: Document) -> str:
    """The document's text, from its pages when the column is empty."""
    if document.text:
        return document.text
    return "\n".join(document.pages.order_by("number").values_list("text", flat=True))


def loggable_query(query: str) -> str:
    """The normalised text worth keeping in the query log, or "" for junk."""
    text = normalize_query(query)
    if not LOG_MIN_CHARS <= len(text) <= LOG_MAX_CHARS:
        return ""
    if not _HAS_WORD.search(text):  # punctuation or digits only
        return ""
    return text


def related_terms(document: Document) -> list[str]:
    """Words that describe the document: keywords, title words, frequent body words."""
    terms: list[str] = []
    for keyword in document.keywords or []:
        terms.extend(tokens(str(keyword)))
    terms.extend(tokens(document.title))
    terms.extend(tokens(document.tags))
    body = Counter(tokens(body_text(document)[:20_000]))
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
        f"{body_text(document)[:RELATED_TEXT_CHARS]}",
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
