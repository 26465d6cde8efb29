"""The vocabulary of conversion: limits in, artifacts out, errors with reasons."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

# Reasons shown to uploaders (Chinese first, then English), by failure code.
REASONS: dict[str, str] = {
    "encrypted": "文件已加密，请去除密码后重新上传 / The file is encrypted; remove the password and upload it again",
    "corrupt": "文件已损坏或无法读取 / The file is damaged or cannot be read",
    "timeout": "转换超时，文件可能过大或过于复杂 / Conversion timed out; the file may be too large or complex",
    "too_many_pages": "页数超过上限 / The document has too many pages",
    "too_large": "文件解压后过大 / The file is too large once decompressed",
    "empty": "文件没有可显示的页面 / The file has no pages to show",
    "crashed": "转换多次崩溃 / Conversion crashed repeatedly",
    "unsupported": "暂不支持该文件类型 / Unsupported file type",
    "unsafe": "文件包含不安全的内容 / The file contains unsafe content",
    "drm": "电子书受 DRM 版权保护，无法转换；请上传无 DRM 的版本 / The e-book is DRM-protected; upload a copy without DRM",
    # Refusals at publication, once the text is known (documents' conversion job).
    "duplicate": "本站已有文字内容相同的文档（另存、改格式或添加字节的副本视为同一文档） / A document with the same text is already on the site (a re-saved, converted or padded copy is the same document)",
    "near_copy": "本站已有内容高度相似的文档，不能重复发布 / A document with nearly the same text is already on the site",
    "banned": "该内容已因投诉成立被下架，不能再次发布 / This content was taken down after an upheld complaint and cannot be published again",
}


@dataclass(frozen=True)
class ConversionError(Exception):
    """A conversion that cannot succeed; `code` picks the reason a person reads."""

    code: str
    detail: str = ""

    @property
    def reason(self) -> str:
        base = REASONS.get(self.code, REASONS["corrupt"])
        return f"{base}（{self.detail}）" if self.detail else base

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}" if self.detail else self.code


class ConverterCrashed(ConversionError):
    """The converter process died mid-job; the job may succeed if retried."""


@dataclass(frozen=True)
class Context:
    """Limits and switches for one conversion; converters read these, never settings."""

    job_timeout: float = 120.0
    max_pages: int = 2000
    render_max_pages: int = 300
    page_width: int = 1000
    max_page_pixels: int = 12_000_000
    max_unzipped_bytes: int = 500 * 1024 * 1024
    max_zip_entries: int = 10_000
    memory_limit_bytes: int = 2048 * 1024 * 1024
    ocr: bool = True
    ocr_page_timeout: float = 30.0
    ocr_max_pages: int = 20
    webp_quality: int = 75
    cover_width: int = 240
    max_text_chars: int = 2_000_000
    max_text_bytes: int = 20 * 1024 * 1024
    pool_size: int = 2
    jobs_per_process: int = 200
    # Where the tools are ("" = Debian's paths) and the extracted fonts are kept.
    uno_python: str = ""
    soffice: str = ""
    soffice_bin: str = ""
    font_cache: str = ""


@dataclass(frozen=True)
class RenderedPage:
    """One page image on disk with its size and text."""

    number: int
    image: Path | None
    width: int
    height: int
    text: str


@dataclass(frozen=True)
class OutlineEntry:
    """One line of a document's outline (a PDF's bookmarks, an e-book's table of
    contents): level 0 is top-level; `page` counts from 1."""

    level: int
    title: str
    page: int


@dataclass(frozen=True)
class Artifact:
    """Everything a finished conversion produced, ready to be stored and published."""

    file_type: str
    page_count: int
    pages: tuple[RenderedPage, ...]
    cover: Path | None
    text: str
    keywords: tuple[str, ...] = field(default=())
    outline: tuple[OutlineEntry, ...] = field(default=())
    timings: tuple[tuple[str, float], ...] = field(default=())

    @property
    def rendered_pages(self) -> int:
        return sum(1 for page in self.pages if page.image is not None)


# progress(stage, current, total): lets the service show live progress.
Progress = Callable[[str, int, int], None]


def no_progress(stage: str, current: int, total: int) -> None:
    """Progress sink for callers that do not report progress."""


# pages_ready(page_count, pages): rendered pages, in order, as soon as their images
# are on disk (the service publishes them before the last page is done).
PagesReady = Callable[[int, tuple[RenderedPage, ...]], None]


def no_pages(page_count: int, pages: tuple[RenderedPage, ...]) -> None:
    """Sink for callers that take the pages only from the finished Artifact."""


# text_known(text): the whole document's text, before any page is rendered, when
# every page carries its own text (no page waits for OCR) and the document is short
# enough to read first; the service checks it for duplicates before showing pages,
# and may refuse the document there (ConversionError).
TextKnown = Callable[[str], None]


def no_text(text: str) -> None:
    """Sink for callers that take the text only from the finished Artifact."""


def document_text(page_texts: Iterable[str], max_chars: int) -> str:
    """The document's text as stored and indexed: its pages' texts, blank-line
    separated, cut at max_chars."""
    return "\n\n".join(text for text in page_texts if text)[:max_chars]


class Converter(Protocol):
    """Turns one file into a PDF inside workdir (registry.py says for which types)."""

    def to_pdf(self, ctx: Context, source: Path, workdir: Path) -> Path: ...
