"""What every book reader produces and the renderer typesets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from wenku.conversion.base import ConversionError

# Limits on what a book may declare, whatever its size on disk.
MAX_CHAPTERS = 5000
MAX_TOC_ENTRIES = 2000
MAX_TOC_DEPTH = 6
MAX_TITLE_CHARS = 200
MAX_RESOURCE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Chapter:
    """One content document: its path inside the book and its parsed XHTML."""

    name: str
    html: str


@dataclass(frozen=True)
class TocEntry:
    """One table-of-contents line: level 0 is a top-level entry."""

    level: int
    title: str
    chapter: str  # a Chapter.name
    fragment: str = ""


@dataclass(frozen=True)
class Book:
    """A book ready to typeset; `resource(name)` returns a member's bytes or None."""

    chapters: tuple[Chapter, ...]
    toc: tuple[TocEntry, ...]
    resource: Callable[[str], bytes | None]
    cover: str = ""  # resource name of the cover image, when the book has one
    cover_shown: bool = False  # the first chapter already shows the cover
    language: str = ""
    title: str = ""
    stylesheets: tuple[str, ...] = field(default=())  # extra CSS for every chapter


def clean_title(text: str) -> str:
    """A TOC title on one line, at most MAX_TITLE_CHARS characters."""
    return " ".join(text.split())[:MAX_TITLE_CHARS]


def drm(detail: str) -> ConversionError:
    return ConversionError("drm", detail)
