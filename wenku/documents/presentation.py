"""How a document is described on its page: size, SEO lead sentence, text chunks."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

CHUNK_CHARS = 350
_SPACE = re.compile(r"\s+")


def human_size(size: int) -> str:
    """15872 → '15.50KB' (the seed page's style)."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)}B" if unit == "B" else f"{value:.2f}{unit}"
        value /= 1024
    raise AssertionError("unreachable")


def lead_sentence(*, display_title: str, page_count: int, site_name: str) -> str:
    """The SEO lead sentence built from title and page count, as on the seed page."""
    return _(
        "《%(title)s》由会员分享，可在线阅读，更多相关《%(title)s（%(pages)s页珍藏版）》"
        "请在%(site)s上搜索。"
    ) % {"title": display_title, "pages": page_count, "site": site_name}


def text_chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Whitespace-normalised text cut into ~size-character chunks, preferring sentence ends."""
    flat = _SPACE.sub(" ", text).strip()
    chunks: list[str] = []
    start = 0
    while start < len(flat):
        end = min(start + size, len(flat))
        if end < len(flat):
            window = flat[start + size - 40 : end + 40]
            cut = max(window.rfind(mark) for mark in "。！？；.!?")
            if cut >= 0:
                end = start + size - 40 + cut + 1
        chunks.append(flat[start:end].strip())
        start = end
    return [chunk for chunk in chunks if chunk]
