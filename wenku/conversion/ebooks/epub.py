"""EPUB 2 and 3 (and the OPF folders KindleUnpack writes) → a Book.

container.xml names the package document (OPF): its manifest lists the members,
its spine their reading order, and the table of contents is the EPUB 3 navigation
document or, failing that, the EPUB 2 NCX. Every XML file is parsed with defusedxml.
A book whose content is encrypted (META-INF/encryption.xml listing anything but
font obfuscation, Adobe's rights.xml, Apple's sinf.xml) is DRM-protected: refused.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from wenku.conversion.base import ConversionError
from wenku.conversion.ebooks import xhtml
from wenku.conversion.ebooks.model import (
    MAX_CHAPTERS,
    MAX_RESOURCE_BYTES,
    MAX_TOC_DEPTH,
    MAX_TOC_ENTRIES,
    Book,
    Chapter,
    TocEntry,
    clean_title,
    drm,
)

OPS_NS = "http://www.idpf.org/2007/ops"
CONTENT_TYPES = {"application/xhtml+xml", "text/html", "application/xml"}
IMAGE_PREFIX = "image/"
# Font obfuscation (IDPF, Adobe) hides embedded fonts from copying; it is not DRM.
FONT_OBFUSCATION = {
    "http://www.idpf.org/2008/embedding",
    "http://ns.adobe.com/pdf/enc#RC",
}
MAX_XML_BYTES = 16 * 1024 * 1024


class Package:
    """A book's members by name: a zip file, or a folder (KindleUnpack's output)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip = zipfile.ZipFile(path) if path.is_file() else None
        if self._zip is not None:
            self._names = {
                info.filename: info.file_size for info in self._zip.infolist()
            }
        else:
            self._names = {
                file.relative_to(path).as_posix(): file.stat().st_size
                for file in path.rglob("*")
                if file.is_file() and not file.is_symlink()
            }
        self.hidden: set[str] = set()  # obfuscated fonts: never served

    def names(self) -> set[str]:
        return set(self._names)

    def read(self, name: str, limit: int = MAX_RESOURCE_BYTES) -> bytes | None:
        """The member's bytes; None when absent, hidden or over `limit`."""
        size = self._names.get(name)
        if size is None or size > limit or name in self.hidden:
            return None
        if self._zip is not None:
            return self._zip.read(name)
        return (self.path / name).read_bytes()

    def xml(self, name: str) -> Element | None:
        data = self.read(name, MAX_XML_BYTES)
        return None if data is None else xhtml.parse(data, name, xml_only=True)


def _children(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element if xhtml.local(child.tag) == name)


def _first(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    return next((e for e in element.iter() if xhtml.local(e.tag) == name), None)


def resolve(base: str, href: str) -> tuple[str, str]:
    """(member name, fragment) of `href` relative to member `base`; ('', '') for a
    reference that leaves the book (absolute URL, ../ past the root)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return "", ""
    path = unquote(parts.path)
    if not path:
        return base, unquote(parts.fragment)
    name = posixpath.normpath(posixpath.join(posixpath.dirname(base), path))
    if name.startswith(("../", "/")) or name == "..":
        return "", ""
    return name, unquote(parts.fragment)


def check_drm(package: Package) -> None:
    """Refuse DRM-protected books; hide obfuscated fonts (they would be garbage)."""
    names = package.names()
    if "META-INF/rights.xml" in names:
        raise drm("Adobe ADEPT (META-INF/rights.xml)")
    if "META-INF/sinf.xml" in names:
        raise drm("Apple FairPlay (META-INF/sinf.xml)")
    root = package.xml("META-INF/encryption.xml")
    if root is None:
        return
    for data in (e for e in root.iter() if xhtml.local(e.tag) == "encrypteddata"):
        method = _first(data, "encryptionmethod")
        algorithm = method.get("Algorithm", "") if method is not None else ""
        reference = _first(data, "cipherreference")
        uri = unquote(reference.get("URI", "")) if reference is not None else ""
        if algorithm not in FONT_OBFUSCATION:
            raise drm(f"{uri or 'content'} is encrypted")
        package.hidden.add(uri.lstrip("/"))


def read(path: Path) -> Book:
    """The Book in an EPUB file (or an unpacked OPF folder)."""
    try:
        package = Package(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ConversionError("corrupt", f"not a readable EPUB: {exc}") from exc
    check_drm(package)
    opf_name = _opf_name(package)
    opf = package.xml(opf_name)
    if opf is None:
        raise ConversionError("corrupt", f"the package document {opf_name} is missing")
    return _book(package, opf_name, opf)


def _opf_name(package: Package) -> str:
    container = package.xml("META-INF/container.xml")
    if container is not None:
        for rootfile in (
            e for e in container.iter() if xhtml.local(e.tag) == "rootfile"
        ):
            if rootfile.get("full-path"):
                return rootfile.get("full-path", "").lstrip("/")
    opfs = sorted(name for name in package.names() if name.endswith(".opf"))
    if not opfs:
        raise ConversionError("corrupt", "no package document (META-INF/container.xml)")
    return opfs[0]


def _book(package: Package, opf_name: str, opf: Element) -> Book:
    metadata = _first(opf, "metadata")
    manifest: dict[str, tuple[str, str, str]] = {}
    for item in (e for e in opf.iter() if xhtml.local(e.tag) == "item"):
        name, _ = resolve(opf_name, item.get("href", ""))
        if name and item.get("id"):
            manifest[item.get("id", "")] = (
                name,
                item.get("media-type", ""),
                item.get("properties", ""),
            )
    spine = _first(opf, "spine")
    order = [
        manifest[ref.get("idref", "")]
        for ref in (spine if spine is not None else ())
        if xhtml.local(ref.tag) == "itemref" and ref.get("idref", "") in manifest
    ]
    documents = [name for name, media, _ in order if media in CONTENT_TYPES]
    documents = [name for name in documents if name in package.names()]
    if not documents:
        raise ConversionError("corrupt", "the book has no readable chapters")
    if len(documents) > MAX_CHAPTERS:
        raise ConversionError("too_large", f"{len(documents)} chapters")
    language = _text(_first(metadata, "language"))
    toc = _toc(package, manifest, spine)
    toc = tuple(entry for entry in toc if entry.chapter in set(documents))
    cover = _cover(package, opf_name, opf, manifest)
    chapters, cover_shown = [], False
    for index, name in enumerate(documents):
        data = package.read(name)
        if data is None:
            continue
        root = xhtml.parse(data, name)
        if index == 0 and cover:
            cover_shown = any(
                resolve(name, src)[0] == cover for src in xhtml.image_sources(root)
            )
        xhtml.mark_toc(
            root,
            ((e.level, e.title, e.fragment) for e in toc if e.chapter == name),
        )
        chapters.append(Chapter(name, xhtml.serialise(root, language=language)))
    return Book(
        chapters=tuple(chapters),
        toc=toc,
        resource=package.read,
        cover=cover,
        cover_shown=cover_shown,
        language=language,
        title=_text(_first(metadata, "title")),
    )


def _text(element: Element | None) -> str:
    return clean_title("".join(element.itertext())) if element is not None else ""


def _cover(
    package: Package,
    opf_name: str,
    opf: Element,
    manifest: dict[str, tuple[str, str, str]],
) -> str:
    """The cover image: EPUB 3 `cover-image`, EPUB 2 <meta name="cover">, or the
    first image of the guide's cover page."""
    images = {
        key: name
        for key, (name, media, _) in manifest.items()
        if media.startswith(IMAGE_PREFIX)
    }
    for key, (name, _, properties) in manifest.items():
        if "cover-image" in properties.split() and key in images:
            return name
    for meta in (e for e in opf.iter() if xhtml.local(e.tag) == "meta"):
        if meta.get("name") == "cover" and meta.get("content", "") in images:
            return images[meta.get("content", "")]
    for reference in (e for e in opf.iter() if xhtml.local(e.tag) == "reference"):
        if reference.get("type", "").lower() != "cover":
            continue
        page, _ = resolve(opf_name, reference.get("href", ""))
        data = package.read(page, MAX_XML_BYTES) if page else None
        if data is not None:
            for src in xhtml.image_sources(xhtml.parse(data, page)):
                image, _ = resolve(page, src)
                if image in package.names():
                    return image
    return ""


def _toc(
    package: Package, manifest: dict[str, tuple[str, str, str]], spine: Element | None
) -> tuple[TocEntry, ...]:
    for name, media, properties in manifest.values():
        if "nav" in properties.split() and media in CONTENT_TYPES:
            found = _nav_entries(package, name)
            if found:
                return found
    ncx_id = spine.get("toc", "") if spine is not None else ""
    ncx = manifest.get(ncx_id, ("", "", ""))[0] or next(
        (n for n, media, _ in manifest.values() if media == "application/x-dtbncx+xml"),
        "",
    )
    root = package.xml(ncx) if ncx else None
    if root is None:
        return ()
    entries: list[TocEntry] = []
    nav_map = _first(root, "navmap")
    if nav_map is not None:
        _ncx_points(nav_map, ncx, 0, entries)
    return tuple(entries)


def _ncx_points(parent: Element, base: str, level: int, out: list[TocEntry]) -> None:
    for point in _children(parent, "navpoint"):
        if len(out) >= MAX_TOC_ENTRIES:
            return
        label = _first(_first(point, "navlabel"), "text")
        content = _first(point, "content")
        chapter, fragment = resolve(
            base, content.get("src", "") if content is not None else ""
        )
        title = _text(label)
        if chapter and title:
            out.append(
                TocEntry(min(level, MAX_TOC_DEPTH - 1), title, chapter, fragment)
            )
        _ncx_points(point, base, level + 1, out)


def _nav_entries(package: Package, name: str) -> tuple[TocEntry, ...]:
    data = package.read(name, MAX_XML_BYTES)
    if data is None:
        return ()
    root = xhtml.parse(data, name)
    navs = [e for e in root.iter() if xhtml.local(e.tag) == "nav"]
    toc = next(
        (n for n in navs if "toc" in n.get(f"{{{OPS_NS}}}type", "").split()),
        navs[0] if navs else None,
    )
    entries: list[TocEntry] = []
    top = _first(toc, "ol")
    if top is not None:
        _nav_list(top, name, 0, entries)
    return tuple(entries)


def _nav_list(ol: Element, base: str, level: int, out: list[TocEntry]) -> None:
    for li in _children(ol, "li"):
        if len(out) >= MAX_TOC_ENTRIES:
            return
        link = next((c for c in li if xhtml.local(c.tag) in ("a", "span")), None)
        if link is not None and link.get("href"):
            chapter, fragment = resolve(base, link.get("href", ""))
            title = _text(link)
            if chapter and title:
                out.append(
                    TocEntry(min(level, MAX_TOC_DEPTH - 1), title, chapter, fragment)
                )
        for nested in _children(li, "ol"):
            _nav_list(nested, base, level + 1, out)
