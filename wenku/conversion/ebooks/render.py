"""Typeset a Book with WeasyPrint — run as a child process, never in a worker.

    python -m wenku.conversion.ebooks.render '{"kind": "epub", "source": …,
                                              "target": …, "max_pages": …}'

converters.BookConverter starts it through procs.run (timeout that kills the whole
process group, address-space cap, minimal environment, FONTCONFIG_FILE pointing at
Wenku's fonts.conf so Chinese text gets the Noto CJK SC faces). It prints one JSON
line: {"pages": N}, or {"code": …, "detail": …} for a ConversionError (exit 3).

Resources come only from the book: BookFetcher answers https://book.invalid/<member>
from the book's own members and data: URLs, and refuses everything else — http(s)
anywhere, file://, absolute paths — before any connection or file is opened.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pikepdf
from weasyprint import CSS, HTML, Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from wenku.conversion.base import ConversionError
from wenku.conversion.ebooks import epub, fb2, kindle, markdown
from wenku.conversion.ebooks.model import Book

BOOK_ORIGIN = "https://book.invalid/"
BATCH_PAGES = 100
PAGE_CSS = """
@page { size: A5; margin: 16mm 14mm 18mm 14mm; }
html { font-size: 11pt; line-height: 1.6; font-family: serif; }
img, svg, video { max-width: 100%; max-height: 170mm; height: auto; }
pre { white-space: pre-wrap; }
table { max-width: 100%; }
"""
TOC_CSS = "h1, h2, h3, h4, h5, h6 { bookmark-level: none !important; }"
COVER_HTML = '<!DOCTYPE html><html><body><img src="{src}" alt=""></body></html>'
COVER_CSS = """
@page { size: A5; margin: 0; }
html, body { margin: 0; padding: 0; }
img { display: block; width: 148mm; height: 210mm; object-fit: contain; }
"""


def book_url(name: str) -> str:
    return BOOK_ORIGIN + quote(name)


def member_name(url: str) -> str | None:
    """The book member a URL names, or None when it points outside the book."""
    if not url.startswith(BOOK_ORIGIN):
        return None
    path = unquote(urlsplit(url).path).lstrip("/")
    return path if path and ".." not in path.split("/") else None


def make_fetcher(resource: Callable[[str], bytes | None], refused: list[str]):  # type: ignore[no-untyped-def]
    """A WeasyPrint URL fetcher that serves the book and nothing else."""

    class BookFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)  # inline bytes, no I/O
            name = member_name(url)
            data = resource(name) if name else None
            if data is None:
                refused.append(url[:200])
                raise ValueError(f"not part of the book: {url[:200]}")
            media = mimetypes.guess_type(name or "")[0] or "application/octet-stream"
            return URLFetcherResponse(url, data, {"Content-Type": media})

    return BookFetcher(allowed_protocols={"https", "data"})


def render(book: Book, target: Path, *, max_pages: int) -> int:
    """Write `book` as one PDF whose outline is the book's TOC; returns its pages.

    Laid-out pages are held in memory (a few MB each), so chapters are typeset in
    batches of about BATCH_PAGES pages, each written to its own PDF and freed; the
    batches are then joined with pikepdf, which also writes the outline."""
    refused: list[str] = []
    fetcher = make_fetcher(book.resource, refused)
    styles = [CSS(string=PAGE_CSS), *(CSS(string=css) for css in book.stylesheets)]
    if book.toc:
        styles.append(CSS(string=TOC_CSS))
    parts: list[Path] = []
    outline: list[tuple[int, str, int]] = []
    batch: list[Document] = []
    pages = 0

    def flush() -> None:
        first = pages - sum(len(document.pages) for document in batch)
        merged = batch[0].copy([page for d in batch for page in d.pages])
        outline.extend(
            (level, label, first + page)
            for level, label, page in _flatten(merged.make_bookmark_tree())
        )
        part = target.with_name(f"{target.stem}-part{len(parts) + 1}.pdf")
        merged.write_pdf(part)
        parts.append(part)
        batch.clear()

    if book.cover and not book.cover_shown:
        cover = HTML(
            string=COVER_HTML.format(src=book_url(book.cover)),
            base_url=BOOK_ORIGIN,
            url_fetcher=fetcher,
        ).render(stylesheets=[CSS(string=COVER_CSS)])
        batch.append(cover)
        pages += len(cover.pages)
    for chapter in book.chapters:
        document = HTML(
            string=chapter.html, base_url=book_url(chapter.name), url_fetcher=fetcher
        ).render(stylesheets=styles)
        batch.append(document)
        pages += len(document.pages)
        if pages > max_pages:
            raise ConversionError("too_many_pages", f"more than {max_pages}")
        if sum(len(d.pages) for d in batch) >= BATCH_PAGES:
            flush()
    if batch and any(document.pages for document in batch):
        flush()
    if not pages:
        raise ConversionError("empty")
    _join(parts, outline, target, title=book.title)
    return pages


def _flatten(
    tree: list[tuple[str, tuple[int, float, float], list, str]], level: int = 0
) -> list[tuple[int, str, int]]:
    flat: list[tuple[int, str, int]] = []
    for label, (page, _, _), children, _ in tree:
        flat.append((level, label, page))
        flat.extend(_flatten(children, level + 1))
    return flat


def _join(
    parts: list[Path], outline: list[tuple[int, str, int]], target: Path, *, title: str
) -> None:
    with pikepdf.new() as pdf:
        for part in parts:
            with pikepdf.open(part) as source:
                pdf.pages.extend(source.pages)
        with pdf.open_outline() as tree:
            stack: list[tuple[int, list[pikepdf.OutlineItem]]] = [(-1, tree.root)]
            for level, label, page in outline:
                while stack[-1][0] >= level:
                    stack.pop()
                item = pikepdf.OutlineItem(label, page)
                stack[-1][1].append(item)
                stack.append((level, item.children))
        if title:
            pdf.docinfo["/Title"] = title
        pdf.save(target)
    for part in parts:
        part.unlink()


READERS: dict[str, Callable[[Path, Path], Book]] = {
    "epub": lambda source, workdir: epub.read(source),
    "mobi": kindle.read,
    "fb2": lambda source, workdir: fb2.read(source),
    "markdown": lambda source, workdir: markdown.read(source),
}


def read_book(kind: str, source: Path, workdir: Path) -> Book:
    """The reader for `kind` (a BookConverter's kind)."""
    reader = READERS.get(kind)
    if reader is None:
        raise ConversionError("unsupported", kind)
    return reader(source, workdir)


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.ERROR)
    request = json.loads(argv[1])
    workdir = Path(request["workdir"])
    try:
        book = read_book(request["kind"], Path(request["source"]), workdir)
        pages = render(book, Path(request["target"]), max_pages=request["max_pages"])
    except ConversionError as exc:
        print(json.dumps({"code": exc.code, "detail": exc.detail}))
        return 3
    except MemoryError:
        print(json.dumps({"code": "too_large", "detail": "memory limit"}))
        return 3
    print(json.dumps({"pages": pages}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
