"""PDF → page images (WebP), per-page text, cover, page count, with pypdfium2.

pdfium is not thread-safe, so every call into it holds PDFIUM_LOCK; WebP encoding
(the slow part) runs on a small thread pool outside the lock. Page size in pixels is
decided before rendering: width PAGE_WIDTH, scaled down until width × height fits
MAX_PAGE_PIXELS, so a 14400 pt page costs no more than any other.
"""

from __future__ import annotations

import math
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image

from wenku.conversion import ocr
from wenku.conversion.base import (
    Context,
    ConversionError,
    OutlineEntry,
    PagesReady,
    Progress,
    RenderedPage,
    TextKnown,
    document_text,
    no_pages,
    no_text,
)

PDFIUM_LOCK = threading.RLock()
OCR_WIDTH = 2000
WEBP_MAX_SIDE = 16383
MAX_IN_FLIGHT = 4
MIN_TEXT_CHARS = 8
# A document this short has its text read before any page is rendered (a few ms),
# so duplicates are found before its first pages are shown.
TEXT_FIRST_MAX_PAGES = 64
MAX_OUTLINE_ENTRIES = 2000
MAX_OUTLINE_LEVEL = 5
MAX_OUTLINE_TITLE = 200
_encoders: dict[int, ThreadPoolExecutor] = {}
_encoders_lock = threading.Lock()


def _encoder(size: int) -> ThreadPoolExecutor:
    """WebP encoding (most of a page's cost; libwebp releases the GIL) runs on as
    many threads as the configured pool size: pages are encoded in parallel while
    pdfium, which must run alone, renders the next one."""
    size = max(size, 1)
    with _encoders_lock:
        if size not in _encoders:
            _encoders[size] = ThreadPoolExecutor(size, thread_name_prefix="wenku-webp")
        return _encoders[size]


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """Open a PDF, telling encrypted files apart from broken ones."""
    with PDFIUM_LOCK:
        try:
            return pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            message = str(exc).lower()
            if "password" in message or "security" in message:
                raise ConversionError("encrypted") from exc
            raise ConversionError("corrupt", "not a readable PDF") from exc


def render_scale(width_pt: float, height_pt: float, ctx: Context, target: int) -> float:
    """Points → pixels: `target` px wide, shrunk to fit the pixel budget."""
    width_pt, height_pt = max(width_pt, 1.0), max(height_pt, 1.0)
    scale = target / width_pt
    if width_pt * height_pt * scale * scale > ctx.max_page_pixels:
        scale = math.sqrt(ctx.max_page_pixels / (width_pt * height_pt))
    return min(scale, WEBP_MAX_SIDE / max(width_pt, height_pt))


def _page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_bounded()
    finally:
        textpage.close()
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _enough_text(text: str) -> bool:
    """A page with this much text needs no OCR."""
    return len("".join(text.split())) >= MIN_TEXT_CHARS


def _texts_after_first(
    document: pdfium.PdfDocument,
    page_count: int,
    ctx: Context,
    chars: int,
    opened: dict[int, pdfium.PdfPage],
) -> list[str]:
    """The text of pages 2…n, as the render loop would read it (none past the cap);
    the pages stay open in `opened` for the loop to render without loading again."""
    texts: list[str] = []
    with PDFIUM_LOCK:
        for index in range(1, page_count):
            if chars >= ctx.max_text_chars:
                texts.append("")
                continue
            page = opened[index] = document[index]
            texts.append(_page_text(page))
            chars += len(texts[-1])
    return texts


def _render(page: pdfium.PdfPage, ctx: Context, target: int) -> Image.Image:
    width_pt, height_pt = page.get_size()
    scale = render_scale(width_pt, height_pt, ctx, target)
    # rev_byteorder: pdfium writes RGB, so PIL takes the buffer without a copy.
    bitmap = page.render(scale=scale, may_draw_forms=False, rev_byteorder=True)
    try:
        image = bitmap.to_pil()
        return image if image.mode == "RGB" else image.convert("RGB")
    finally:
        bitmap.close()


def _save_webp(image: Image.Image, path: Path, quality: int) -> tuple[int, int]:
    # method 0: a fifth faster than 1 for the same size on text pages (measured on
    # the reference upload: 60 ms and 315 KB against 78 ms and 315 KB).
    image.save(path, "WEBP", quality=quality, method=0)
    return image.size


def _save_cover(image: Image.Image, path: Path, ctx: Context) -> None:
    thumb = image.copy()
    thumb.thumbnail((ctx.cover_width, ctx.cover_width * 4))
    thumb.save(path, "WEBP", quality=ctx.webp_quality, method=1)


Pending = tuple[int, str, Path | None, "Future[tuple[int, int]] | None"]


class _Deliveries:
    """Hands finished pages to `pages_ready` in page order, each once."""

    def __init__(self, page_count: int, pages_ready: PagesReady) -> None:
        self.page_count = page_count
        self.pages_ready = pages_ready
        self.delivered = 0

    def __call__(self, pending: list[Pending], *, wait: bool = False) -> None:
        ready: list[RenderedPage] = []
        for number, text, path, future in pending[self.delivered :]:
            if future is not None and not (wait or future.done()):
                break
            width, height = future.result() if future is not None else (0, 0)
            ready.append(RenderedPage(number, path, width, height, text))
        if ready:
            self.delivered += len(ready)
            self.pages_ready(self.page_count, tuple(ready))


def render_pdf(
    ctx: Context,
    pdf_path: Path,
    outdir: Path,
    progress: Progress,
    pages_ready: PagesReady = no_pages,
    text_known: TextKnown = no_text,
) -> tuple[int, list[RenderedPage], Path | None, dict[str, float]]:
    """Render up to RENDER_MAX_PAGES pages; text (and OCR) for every page.
    Finished pages go to `pages_ready` in order while the rest are rendered; a
    short document whose pages all carry text gives `text_known` its whole text
    before the first page is rendered."""
    started = time.monotonic()
    deadline = started + ctx.job_timeout
    timings: dict[str, float] = {}
    document = open_pdf(pdf_path)
    pending: list[Pending] = []
    # Pages the text step loaded, kept open for the render loop.
    opened: dict[int, pdfium.PdfPage] = {}
    cover_done: Future[None] | None = None
    try:
        with PDFIUM_LOCK:
            page_count = len(document)
        if page_count == 0:
            raise ConversionError("empty")
        if page_count > ctx.max_pages:
            raise ConversionError("too_many_pages", f"{page_count} > {ctx.max_pages}")
        to_render = min(page_count, ctx.render_max_pages)
        encoder = _encoder(ctx.pool_size)
        deliver = _Deliveries(page_count, pages_ready)
        cover: Path | None = None
        ocr_budget = ctx.ocr_max_pages if ctx.ocr and ocr.available() else 0
        # A short document's text is read while its first page is encoded.
        text_first = page_count <= TEXT_FIRST_MAX_PAGES
        ocr_possible = ocr_budget > 0
        texts: list[str] | None = None
        text_chars = 0
        for index in range(page_count):
            with PDFIUM_LOCK:
                page = opened.pop(index, None) or document[index]
                try:
                    if texts is not None:
                        text = texts[index]
                    else:
                        text = (
                            _page_text(page) if text_chars < ctx.max_text_chars else ""
                        )
                    image = (
                        _render(page, ctx, ctx.page_width)
                        if index < to_render
                        else None
                    )
                    needs_ocr = (
                        image is not None
                        and ocr_budget > 0
                        and not _enough_text(text)
                        and time.monotonic() + ctx.ocr_page_timeout < deadline
                    )
                    ocr_image = _render(page, ctx, OCR_WIDTH) if needs_ocr else None
                finally:
                    page.close()
            read = text
            if ocr_image is not None:
                ocr_budget -= 1
                text = ocr.recognise(
                    ocr_image,
                    timeout=ctx.ocr_page_timeout,
                    memory_bytes=ctx.memory_limit_bytes,
                )
            text_chars += len(text)
            path: Path | None = None
            future: Future[tuple[int, int]] | None = None
            if image is not None:
                # Bound the images waiting for the encoder (each is megabytes).
                in_flight = [
                    f for _, _, _, f in pending if f is not None and not f.done()
                ]
                if len(in_flight) >= max(MAX_IN_FLIGHT, 2 * ctx.pool_size):
                    in_flight[0].result()
                path = outdir / f"{index + 1}.webp"
                future = encoder.submit(_save_webp, image, path, ctx.webp_quality)
                if index == 0:
                    # The first page is what the uploader waits for: note when it lands.
                    future.add_done_callback(
                        lambda _: timings.setdefault(
                            "first_page", time.monotonic() - started
                        )
                    )
                    cover = outdir / "cover.webp"
                    cover_done = encoder.submit(_save_cover, image, cover, ctx)
            if index == 0 and text_first:
                # Checked while the first page is encoded, before it is delivered.
                texts = [
                    read,
                    *_texts_after_first(document, page_count, ctx, len(read), opened),
                ]
                if not ocr_possible or all(_enough_text(t) for t in texts[:to_render]):
                    text_known(document_text(texts, ctx.max_text_chars))
            pending.append((index + 1, text, path, future))
            deliver(pending)
            progress("rendering", index + 1, page_count)
            if time.monotonic() > deadline:
                raise ConversionError("timeout", "rendering pages")
        deliver(pending, wait=True)
        if cover_done is not None:
            cover_done.result()
        pages = []
        for number, text, path, future in pending:
            width, height = future.result() if future is not None else (0, 0)
            pages.append(RenderedPage(number, path, width, height, text))
        timings["render"] = time.monotonic() - started
        return page_count, pages, cover, timings
    finally:
        # A failed render must not leave encoders writing into the job folder
        # while it is being removed.
        waiting: list[Future[Any]] = [f for *_, f in pending if f is not None]
        for future in [*waiting, *([cover_done] if cover_done else [])]:
            future.exception()
        with PDFIUM_LOCK:
            for left in opened.values():
                left.close()
            document.close()


def page_count(path: Path) -> int:
    """Number of pages in a PDF (for tests and benchmarks)."""
    document = open_pdf(path)
    try:
        with PDFIUM_LOCK:
            return len(document)
    finally:
        with PDFIUM_LOCK:
            document.close()


def outline(path: Path, page_count: int) -> tuple[OutlineEntry, ...]:
    """The PDF's bookmarks (an e-book's table of contents) that point at a page:
    at most MAX_OUTLINE_ENTRIES, levels capped, titles on one line."""
    document = open_pdf(path)
    entries: list[OutlineEntry] = []
    try:
        with PDFIUM_LOCK:
            for bookmark in document.get_toc(max_depth=MAX_OUTLINE_LEVEL + 1):
                if len(entries) >= MAX_OUTLINE_ENTRIES:
                    break
                destination = bookmark.get_dest()
                index = destination.get_index() if destination is not None else None
                title = " ".join(bookmark.get_title().split())[:MAX_OUTLINE_TITLE]
                if index is None or not 0 <= index < page_count or not title:
                    continue
                level = min(bookmark.level, MAX_OUTLINE_LEVEL)
                entries.append(OutlineEntry(level, title, index + 1))
    finally:
        with PDFIUM_LOCK:
            document.close()
    return tuple(entries)
