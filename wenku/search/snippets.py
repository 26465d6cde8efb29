"""Snippets with highlighted terms, cut only from text the searcher may read.

Matching runs on folded text (see ``tokenize.fold``) so a simplified query lights up
traditional text and full-width letters; every folded character remembers the
original character it came from, and the snippet shows the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape

from wenku.documents.models import Document, Page
from wenku.search.tokenize import fold, fold_char

WINDOW = 120  # characters shown in a snippet
LEAD = 24  # characters kept before the first highlighted term
MAX_PAGE_CHARS = 20_000  # of each page looked at for a snippet
MAX_LOCKED_PAGES = 500  # pages past the preview scanned for "第N页有匹配"
MAX_SPANS_PER_WORD = 400
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Snippet:
    html: str
    matched_page: int | None = None
    page_locked: bool = False  # matched only past what this reader may see


def _fold_with_offsets(text: str) -> tuple[str, list[int]]:
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = fold_char(char)
        pieces.append(folded)
        offsets.extend([index] * len(folded))
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


def highlight(text: str, words: list[str]) -> tuple[str, int]:
    """(HTML snippet of text around the best match, number of distinct words found)."""
    text = text[:MAX_PAGE_CHARS]
    folded, offsets = _fold_with_offsets(text)
    spans = _spans(folded, words)
    if not spans:
        return "", 0
    anchor = offsets[_best_start(spans)]
    begin = max(0, anchor - LEAD)
    end = min(len(text), begin + WINDOW)
    # Merge overlapping or touching spans, in original-text coordinates.
    marks: list[list[int]] = []
    for start, stop, _ in spans:
        a, b = offsets[start], offsets[stop - 1] + 1
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
    return str(escape(_SPACE.sub(" ", text)))


def _opening(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    return _plain(text[:WINDOW]) + ("…" if len(text) > WINDOW else "")


def build_snippet(*, document: Document, words: list[str], readable: int) -> Snippet:
    """The snippet for one hit, using pages 1..readable and public metadata only."""
    if not words:
        return Snippet(html="")
    pages = list(
        Page.objects.filter(document=document, number__lte=readable)
        .order_by("number")
        .values_list("number", "text")
    )
    best: tuple[int, str, int] | None = None  # (distinct words, html, page)
    for number, text in pages:
        html, distinct = highlight(text, words)
        if distinct and (best is None or distinct > best[0]):
            best = (distinct, html, number)
            if distinct == len(words):
                return Snippet(html=html, matched_page=number)
    description_html, _ = highlight(document.description, words)
    locked_page = _first_locked_match(document=document, words=words, after=readable)
    if locked_page is not None:
        return Snippet(
            html=description_html or _opening(document.description),
            matched_page=locked_page,
            page_locked=True,
        )
    if best is not None:
        return Snippet(html=best[1], matched_page=best[2])
    if description_html:
        return Snippet(html=description_html)
    opening = pages[0][1] if pages else ""
    return Snippet(html=_opening(document.description or opening))


def _first_locked_match(
    *, document: Document, words: list[str], after: int
) -> int | None:
    """Number of the first page past the preview holding every word, if any."""
    pages = (
        Page.objects.filter(document=document, number__gt=after)
        .order_by("number")
        .values_list("number", "text")[:MAX_LOCKED_PAGES]
    )
    for number, text in pages.iterator(chunk_size=50):
        folded = fold(text)
        if all(word in folded for word in words):
            return number
    return None
