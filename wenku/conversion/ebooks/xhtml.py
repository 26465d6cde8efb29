"""Content documents: parsed without entity expansion, served to WeasyPrint as HTML.

EPUB chapters are XHTML, often with the XHTML 1.1 DOCTYPE (a DTD URL, never read)
and HTML named entities (&nbsp;) that only that DTD defines. Named entities become
character references first, then defusedxml parses the document: a DOCTYPE that
declares entities (billion laughs, external entities) is refused. A chapter that is
not well-formed XML is parsed as HTML5 instead (tinyhtml5, which expands no
entities), as a browser-based reader would. The tree is written back as HTML5 with
scripts, frames, objects and <base> removed and the table of contents marked.
"""

from __future__ import annotations

import html
import html.entities
import re
from collections.abc import Iterable, Iterator
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
import tinyhtml5
from defusedxml import DefusedXmlException

from wenku.conversion.base import ConversionError

XHTML_NS = "http://www.w3.org/1999/xhtml"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
DROPPED = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base"}
FOREIGN = {"svg", "math"}
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{0,31});")
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def local(tag: object) -> str:
    """The local name of an ElementTree tag (no namespace); '' for comments/PIs."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def decode(data: bytes) -> str:
    """Markup bytes → text: BOM, then the XML declaration's encoding, else UTF-8."""
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    declared = _ENCODING.match(data[:200])
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in XML_ENTITIES:
        return match.group(0)
    value = html.entities.html5.get(f"{name};")
    return "".join(f"&#{ord(ch)};" for ch in value) if value else ""


def parse(data: bytes, name: str, *, xml_only: bool = False) -> Element:
    """Parse a content document; ConversionError('unsafe') for declared entities."""
    text = _DECLARATION.sub("", decode(data), count=1)
    text = _ENTITY.sub(_entity, text)
    try:
        return SafeET.fromstring(text, forbid_dtd=False)
    except DefusedXmlException as exc:
        raise ConversionError("unsafe", f"{name}: {type(exc).__name__}") from exc
    except ParseError as exc:
        if xml_only:
            raise ConversionError("corrupt", f"{name}: {exc}") from exc
    root: Element = tinyhtml5.parse(text)
    return root


def body(root: Element) -> Element:
    return next((e for e in root.iter() if local(e.tag) == "body"), root)


def element_ids(root: Element) -> dict[str, Element]:
    """Elements by id (and <a name>), the targets of TOC links."""
    ids: dict[str, Element] = {}
    for element in root.iter():
        for key in ("id", "name" if local(element.tag) == "a" else ""):
            value = element.get(key) if key else None
            if value and value not in ids:
                ids[value] = element
    return ids


def image_sources(root: Element) -> Iterator[str]:
    """The image references of a document (img src, SVG image href)."""
    for element in root.iter():
        tag = local(element.tag)
        if tag == "img" and element.get("src"):
            yield element.get("src", "")
        elif tag == "image":
            href = element.get(f"{{{XLINK_NS}}}href") or element.get("href")
            if href:
                yield href


def mark_toc(root: Element, entries: Iterable[tuple[int, str, str]]) -> None:
    """Put an empty span carrying a bookmark (CSS bookmark-level/-label) at the start
    of each entry's target, so WeasyPrint's PDF outline is the book's TOC."""
    ids = element_ids(root)
    parents = {child: parent for parent in root.iter() for child in parent}
    start = body(root)
    for level, title, fragment in entries:
        target = ids.get(fragment, start) if fragment else start
        label = title.replace("\\", "\\\\").replace("'", "\\'")
        marker = Element(
            "span",
            {"style": f"bookmark-level: {level + 1}; bookmark-label: '{label}'"},
        )
        if local(target.tag) in VOID and target in parents:
            parent = parents[target]
            parent.insert(list(parent).index(target), marker)
        else:
            marker.tail, target.text = target.text, None
            target.insert(0, marker)


def serialise(root: Element, *, language: str = "") -> str:
    """The tree as HTML5 text, without scripts, frames, objects or <base>."""
    out: list[str] = ["<!DOCTYPE html>"]
    if local(root.tag) == "html" and language and not _language(root):
        root.set("lang", language)
    _write(root, out, foreign=False)
    return "".join(out)


def _language(element: Element) -> str:
    return element.get("lang") or element.get(f"{{{XML_NS}}}lang") or ""


def _attributes(element: Element) -> str:
    parts = []
    for key, value in element.attrib.items():
        namespace, _, name = key[1:].partition("}") if key[0] == "{" else ("", "", key)
        if namespace == XLINK_NS:
            name = f"xlink:{name}"
        elif namespace == XML_NS and name == "lang":
            if element.get("lang"):
                continue
            name = "lang"
        elif namespace or ":" in name or name.lower().startswith("on"):
            continue  # epub:type and the like; event handlers
        parts.append(f' {name}="{html.escape(value, quote=True)}"')
    return "".join(parts)


def _write(element: Element, out: list[str], *, foreign: bool) -> None:
    tag = local(element.tag)
    if not tag or tag in DROPPED:
        if element.tail:
            out.append(html.escape(element.tail, quote=False))
        return
    foreign = foreign or tag in FOREIGN
    out.append(f"<{tag}{_attributes(element)}")
    children = list(element)
    if foreign and not children and not element.text:
        out.append("/>")
    elif tag in VOID:
        out.append(">")
    else:
        out.append(">")
        if element.text and tag == "style":  # raw text in HTML: never escaped
            out.append(re.sub(r"(?i)</style", "<\\/style", element.text))
        elif element.text:
            out.append(html.escape(element.text, quote=False))
        for child in children:
            _write(child, out, foreign=foreign)
        out.append(f"</{tag}>")
    if element.tail:
        out.append(html.escape(element.tail, quote=False))
