"""Snippets with highlighted terms, cut only from text the searcher may read.

Matching runs on folded text (see ``tokenize.fold``) so a simplified query lights up
traditional text and full-width letters; every folded character remembers the
original character it came from, and the snippet shows the original text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from django.db import connection

from wenku.documents.access import DocumentAccess
from wenku.documents.models import Document, Page
from wenku.search.models import FoldedPage
from wenku.search.tokenize import fold, fold_char

WINDOW = 120  # characters shown in a snippet
LEAD = 24  # characters kept before the first highlighted term
MAX_PAGE_CHARS = 20_000  # of each page looked at for a snippet
MAX_LOCKED_PAGES = 500  # pages past the preview scanned for "第N页有匹配"
MAX_SPANS_PER_WORD = 400
MAX_SNIPPET_PAGES = 100  # readable pages looked at for a snippet
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Snippet:
    html: str
    matched_page: int | None = None
    page_locked: bool = False  # matched only past what this reader may see


def _fold_with_offsets(
    text: str, folded: str | None = None
) -> tuple[str, list[int] | None]:
    """Folded text and, when folding changed its length, each folded char's origin.

    ``None`` means folding kept every character in place (the usual case for
    Chinese and ASCII text), so folded offsets are original offsets. ``folded``
    is ``fold(text)`` when the caller already has it.
    """
    folded = fold(text) if folded is None else folded
    if len(folded) == len(text):
        return folded, None
    pieces = list(map(fold_char, text))
    offsets = [index for index, piece in enumerate(pieces) for _ in piece]
    return "".join(pieces), offsets


def _spans(folded: str, words: list[str]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for word in words:
        start = folded.find(word)
        found = 0
        while start != -1 and found < MAX_SPANS_PER_WORD:
            spans.append((start, start + len(word), word))
            found += 1
            start = folded.find(word, start + len(word))
    spans.sort()
    return spans


def _best_start(spans: list[tuple[int, int, str]]) -> int:
    """Folded offset of the span whose window holds the most distinct words."""
    best, best_distinct = spans[0][0], 0
    counts: dict[str, int] = {}
    right = 0
    for start, _, word in spans:
        while right < len(spans) and spans[right][0] < start + WINDOW - LEAD:
            counts[spans[right][2]] = counts.get(spans[right][2], 0) + 1
            right += 1
        if len(counts) > best_distinct:
            best, best_distinct = start, len(counts)
        counts[word] -= 1
        if not counts[word]:
            del counts[word]
    return best


def highlight(
    text: str, words: list[str], folded: str | None = None
) -> tuple[str, int]:
    """(HTML snippet of text around the best match, number of distinct words found).

    ``folded`` is ``fold(text[:MAX_PAGE_CHARS])`` when the caller already has it.
    """
    text = text[:MAX_PAGE_CHARS]
    folded, offsets = _fold_with_offsets(text, folded)
    spans = _spans(folded, words)
    if not spans:
        return "", 0
    positions: Sequence[int] = offsets if offsets is not None else range(len(folded))
    anchor = positions[_best_start(spans)]
    begin = max(0, anchor - LEAD)
    end = min(len(text), begin + WINDOW)
    # Merge overlapping or touching spans, in original-text coordinates.
    marks: list[list[int]] = []
    for start, stop, _ in spans:
        a, b = positions[start], positions[stop - 1] + 1
        if b <= begin or a >= end:
            continue
        a, b = max(a, begin), min(b, end)
        if marks and a <= marks[-1][1]:
            marks[-1][1] = max(marks[-1][1], b)
        else:
            marks.append([a, b])
    parts = ["…" if begin > 0 else ""]
    cursor = begin
    for a, b in marks:
        parts.append(_plain(text[cursor:a]))
        parts.append(f"<mark>{_plain(text[a:b])}</mark>")
        cursor = b
    parts.append(_plain(text[cursor:end]))
    parts.append("…" if end < len(text) else "")
    return "".join(parts), len({w for _, _, w in spans})


def _plain(text: str) -> str:
    # html.escape is what django.utils.html.escape runs, minus its lazy wrapper.
    return escape(_SPACE.sub(" ", text))


def _opening(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    return _plain(text[:WINDOW]) + ("…" if len(text) > WINDOW else "")


def build_snippets(
    items: list[tuple[Document, DocumentAccess]], words: list[str]
) -> dict[int, Snippet]:
    """Snippets for a page of hits, given (document, the searcher's access) pairs.

    Two queries at most: the readable pages of every hit, then, for hits whose
    readable text lacks a word, the number of the first page past their preview
    whose folded text (``FoldedPage``) holds every word — a number, never text.
    """
    if not words:
        return {}
    readable_counts = [(document, access.readable_pages) for document, access in items]
    readable_pages = _readable_pages(
        (document.pk, 1, min(readable, MAX_SNIPPET_PAGES))
        for document, readable in readable_counts
    )
    snippets: dict[int, Snippet] = {}
    partial: dict[int, tuple[Document, int, tuple[str, int] | None]] = {}
    for document, readable in readable_counts:
        # The first page holding the most distinct words; only it is highlighted.
        best: tuple[int, int, str, str] | None = None  # distinct, page, text, folded
        for number, text in readable_pages.get(document.pk, []):
            text = text[:MAX_PAGE_CHARS]
            folded = fold(text)
            distinct = sum(word in folded for word in words)
            if distinct and (best is None or distinct > best[0]):
                best = (distinct, number, text, folded)
                if distinct == len(words):
                    break
        html = highlight(best[2], words, best[3])[0] if best is not None else ""
        if best is not None and best[0] == len(words):
            snippets[document.pk] = Snippet(html=html, matched_page=best[1])
        else:
            partial[document.pk] = (
                document,
                readable,
                (html, best[1]) if best is not None else None,
            )
    locked = _first_locked_match(
        (
            (
                document.pk,
                readable + 1,
                min(document.page_count, readable + MAX_LOCKED_PAGES),
            )
            for document, readable, _ in partial.values()
        ),
        words,
    )
    for pk, (document, _, best_partial) in partial.items():
        snippets[pk] = _fallback(document, words, best_partial, locked.get(pk))
    return snippets


def _ranges_sql(
    ranges: Iterable[tuple[int, int, int]], alias: str
) -> tuple[str, list[int]]:
    """``(… OR …)`` over pages first..last of each (document id, first, last).

    Documents sharing a range (for one reader, usually all of them) share one
    ``IN (…) AND number BETWEEN`` condition: a few index range scans instead of a
    20-way OR. Empty ranges are left out; "" when none is left.
    """
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pk, first, last in ranges:
        if first <= last:
            groups[first, last].append(pk)
    conditions = []
    params: list[int] = []
    for (first, last), ids in groups.items():
        conditions.append(
            f"({alias}.document_id IN ({', '.join(['%s'] * len(ids))}) "
            f"AND {alias}.number BETWEEN %s AND %s)"
        )
        params += [*ids, first, last]
    return (f"({' OR '.join(conditions)})" if conditions else ""), params


def _readable_pages(
    ranges: Iterable[tuple[int, int, int]],
) -> dict[int, list[tuple[int, str]]]:
    """(number, text) of the pages in each range, in order.

    The text is folded here rather than read from ``FoldedPage``: for the few
    pages a snippet looks at, folding (about 15 µs a page) costs less than
    reading a second copy of each page.
    """
    where, params = _ranges_sql(ranges, "p")
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if not where:
        return found
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.document_id, p.number, p.text "  # noqa: S608
            f"FROM {Page._meta.db_table} p WHERE {where} "
            "ORDER BY p.document_id, p.number",
            params,
        )
        for document_id, number, text in cursor.fetchall():
            found[document_id].append((number, text))
    return found


def _first_locked_match(
    ranges: Iterable[tuple[int, int, int]], words: list[str]
) -> dict[int, int]:
    """Document id → first page in its range whose folded text holds every word."""
    where, params = _ranges_sql(ranges, "f")
    if not where:
        return {}
    position = "strpos" if connection.vendor == "postgresql" else "instr"
    holds = " AND ".join([f"{position}(f.text, %s) > 0"] * len(words))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f.document_id, MIN(f.number) "  # noqa: S608
            f"FROM {FoldedPage._meta.db_table} f WHERE {where} AND {holds} "
            "GROUP BY f.document_id",
            [*params, *words],
        )
        return dict(cursor.fetchall())


def _fallback(
    document: Document,
    words: list[str],
    best_partial: tuple[str, int] | None,
    locked_page: int | None,
) -> Snippet:
    description_html, _ = highlight(document.description, words)
    if locked_page is not None:
        return Snippet(
            html=description_html or _opening(document.description),
            matched_page=locked_page,
            page_locked=True,
        )
    if best_partial is not None:
        return Snippet(html=best_partial[0], matched_page=best_partial[1])
    return Snippet(html=description_html or _opening(document.description))
