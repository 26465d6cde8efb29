"""Kindle books (MOBI 6, AZW3/KF8) → a Book, through KindleUnpack (`mobi` package).

A Kindle file is a PalmDB database: record 0 holds the PalmDOC header, whose
encryption type is non-zero for a DRM-protected book, and the MOBI header, which
also points at DRM data when there is any. Those books are refused before any
unpacking. KindleUnpack writes the KF8 part as an EPUB and a MOBI 6 book as an OPF
folder (book.html, images, toc.ncx); either is then read as an EPUB.
"""

from __future__ import annotations

import struct
from pathlib import Path

from mobi.kindleunpack import unpackBook

from wenku.conversion.base import ConversionError
from wenku.conversion.ebooks import epub
from wenku.conversion.ebooks.model import Book, drm

PALMDB_HEADER = 78
NO_OFFSET = 0xFFFFFFFF


def check_drm(path: Path) -> None:
    """Refuse a Kindle book with DRM (PalmDOC encryption type, MOBI DRM offset)."""
    with path.open("rb") as handle:
        header = handle.read(PALMDB_HEADER + 8)
        if len(header) < PALMDB_HEADER + 8 or header[60:68] != b"BOOKMOBI":
            raise ConversionError("corrupt", "not a Kindle book")
        (offset,) = struct.unpack_from(">L", header, PALMDB_HEADER)
        handle.seek(offset)
        record0 = handle.read(0xB0)
    if len(record0) < 16:
        raise ConversionError("corrupt", "truncated Kindle book")
    (encryption,) = struct.unpack_from(">H", record0, 12)
    if encryption:
        scheme = "Mobipocket" if encryption == 2 else f"type {encryption}"
        raise drm(f"Kindle DRM ({scheme})")
    if record0[16:20] == b"MOBI" and len(record0) >= 0xB0:
        drm_offset, drm_count = struct.unpack_from(">LL", record0, 0xA8)
        if drm_offset not in (0, NO_OFFSET) and drm_count not in (0, NO_OFFSET):
            raise drm("Kindle DRM (DRM records)")


def read(source: Path, workdir: Path) -> Book:
    """Unpack into workdir/kindle and read what KindleUnpack wrote."""
    check_drm(source)
    outdir = workdir / "kindle"
    outdir.mkdir(exist_ok=True)
    try:
        unpackBook(str(source), str(outdir), epubver="A")
    except Exception as exc:  # KindleUnpack raises plain Exceptions on bad input
        raise ConversionError("corrupt", f"Kindle book: {exc}"[:200]) from exc
    kf8 = sorted((outdir / "mobi8").glob("*.epub"))
    if kf8:
        return epub.read(kf8[0])
    mobi7 = outdir / "mobi7"
    if (mobi7 / "content.opf").exists():
        return epub.read(mobi7)
    raise ConversionError("corrupt", "KindleUnpack found no book in the file")
