"""Markdown (.md) → a one-chapter Book, typeset like an e-book.

CommonMark plus tables (markdown-it-py) with raw HTML off, so a Markdown file can
carry no markup of its own; its headings are the outline. Images name URLs or paths
outside any book, which the renderer's fetcher refuses: none is loaded.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from wenku.conversion import textfiles
from wenku.conversion.ebooks.model import MAX_RESOURCE_BYTES, Book, Chapter

CSS = """
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 0.5pt solid #888; padding: 2pt 6pt; }
code, pre { font-family: monospace; background: #f4f4f4; }
"""


def read(source: Path) -> Book:
    """The Markdown file as one chapter (any common encoding: UTF-8, GBK…)."""
    text = textfiles.read_text(source, MAX_RESOURCE_BYTES)
    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
    body = renderer.render(text)
    html = f'<!DOCTYPE html><html lang="zh-CN"><body>{body}</body></html>'
    return Book(
        chapters=(Chapter(source.name, html),),
        toc=(),
        resource=lambda name: None,
        stylesheets=(CSS,),
    )
