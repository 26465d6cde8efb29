"""FictionBook 2 (.fb2) → a Book: sections become chapters, their titles the TOC.

FB2 is one XML file (parsed with defusedxml: no DTD entities); pictures are base64
<binary> elements referenced as l:href="#id", served to WeasyPrint as book members.
Each top-level <section> of the main <body> is a chapter; nested sections' titles
are headings one level down, and every title is an outline entry.
"""

from __future__ import annotations

import base64
import binascii
import html
from pathlib import Path
from xml.etree.ElementTree import Element

from wenku.conversion.base import ConversionError
from wenku.conversion.ebooks import xhtml
from wenku.conversion.ebooks.model import (
    MAX_CHAPTERS,
    MAX_TOC_DEPTH,
    MAX_TOC_ENTRIES,
    Book,
    Chapter,
    TocEntry,
    clean_title,
)

XLINK_HREF = f"{{{xhtml.XLINK_NS}}}href"
MAX_FB2_BYTES = 200 * 1024 * 1024
# FB2 element → HTML element; unknown elements keep their content only.
TAGS = {
    "p": "p",
    "v": "p",
    "subtitle": "h4",
    "emphasis": "em",
    "strong": "strong",
    "strikethrough": "s",
    "sub": "sub",
    "sup": "sup",
    "code": "code",
    "epigraph": "blockquote",
    "cite": "blockquote",
    "poem": "div",
    "stanza": "div",
    "text-author": "p",
    "table": "table",
    "tr": "tr",
    "td": "td",
    "th": "th",
    "empty-line": "br",
}
CSS = "blockquote { font-style: italic; } .fb2-title { text-align: center; }"


def read(source: Path) -> Book:
    """The Book in a FictionBook 2 file."""
    if source.stat().st_size > MAX_FB2_BYTES:
        raise ConversionError("too_large", "FB2 file")
    root = xhtml.parse(source.read_bytes(), source.name, xml_only=True)
    binaries = _binaries(root)
    info = next((e for e in root.iter() if xhtml.local(e.tag) == "title-info"), None)
    language = _text(_child(info, "lang"))
    cover = ""
    coverpage = _child(info, "coverpage")
    if coverpage is not None:
        image = _child(coverpage, "image")
        href = image.get(XLINK_HREF, "") if image is not None else ""
        cover = href.lstrip("#") if href.lstrip("#") in binaries else ""
    body = next((e for e in root if xhtml.local(e.tag) == "body"), None)
    sections = [e for e in body if xhtml.local(e.tag) == "section"] if body else []
    if not sections and body is not None:
        sections = [body]
    if len(sections) > MAX_CHAPTERS:
        raise ConversionError("too_large", f"{len(sections)} chapters")
    chapters: list[Chapter] = []
    toc: list[TocEntry] = []
    for number, section in enumerate(sections, 1):
        name = f"chapter{number}.html"
        parts: list[str] = []
        _section(section, 0, name, parts, toc)
        chapters.append(
            Chapter(
                name,
                f'<!DOCTYPE html><html lang="{html.escape(language)}"><body>'
                f"{''.join(parts)}</body></html>",
            )
        )
    if not chapters:
        raise ConversionError("corrupt", "the FB2 file has no <body>")
    return Book(
        chapters=tuple(chapters),
        toc=tuple(toc),
        resource=binaries.get,
        cover=cover,
        language=language,
        title=_text(_child(info, "book-title")),
        stylesheets=(CSS,),
    )


def _child(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    return next((e for e in element if xhtml.local(e.tag) == name), None)


def _text(element: Element | None) -> str:
    return clean_title(" ".join(element.itertext())) if element is not None else ""


def _binaries(root: Element) -> dict[str, bytes]:
    found = {}
    for element in root:
        if xhtml.local(element.tag) == "binary" and element.get("id"):
            try:
                found[element.get("id", "")] = base64.b64decode(element.text or "")
            except binascii.Error:
                continue
    return found


def _section(
    section: Element, depth: int, name: str, out: list[str], toc: list[TocEntry]
) -> None:
    for child in section:
        tag = xhtml.local(child.tag)
        if tag == "title":
            title = _text(child)
            anchor = f"t{len(toc) + 1}"
            level = min(depth, MAX_TOC_DEPTH - 1)
            if title and len(toc) < MAX_TOC_ENTRIES:
                toc.append(TocEntry(level, title, name, anchor))
            heading = f"h{level + 1}"
            inner = "<br>".join(html.escape(_text(p)) for p in child)
            marker = (
                f'<span style="bookmark-level: {level + 1}; bookmark-label:'
                f" '{_css_string(title)}'\"></span>"
                if title
                else ""
            )
            out.append(
                f'<{heading} id="{anchor}" class="fb2-title">{marker}'
                f"{inner or html.escape(title)}</{heading}>"
            )
        elif tag == "section":
            _section(child, depth + 1, name, out, toc)
        else:
            _inline(child, out)


def _css_string(text: str) -> str:
    return html.escape(text.replace("\\", "\\\\").replace("'", "\\'"))


def _inline(element: Element, out: list[str]) -> None:
    tag = xhtml.local(element.tag)
    if tag == "image":
        href = element.get(XLINK_HREF, "").lstrip("#")
        out.append(f'<p><img src="{html.escape(href)}" alt=""></p>')
    else:
        mapped = TAGS.get(tag, "")
        if tag == "a":
            mapped = "span"
        if mapped == "br":
            out.append("<br>")
        else:
            out.append(f"<{mapped}>" if mapped else "")
            out.append(html.escape(element.text or ""))
            for child in element:
                _inline(child, out)
            out.append(f"</{mapped}>" if mapped else "")
    out.append(html.escape(element.tail or ""))
