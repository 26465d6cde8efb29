"""E-books and other reflowable samples the tests write themselves (EPUB, MOBI, FB2,
Markdown, Word 2003 XML, flat ODF spreadsheets and presentations, BIFF4, WordPerfect).

Each writer builds the file from the format's specification, byte by byte where no
library writes it, so no binary fixture is committed.
"""

from __future__ import annotations

import base64
import io
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from wenku.conversion.tests.samples import EN_BODY, ZH_BODY, ZH_TITLE, png_bytes

XHTML = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class Chapter:
    """One chapter: its heading, paragraphs and sections (heading, paragraphs)."""

    title: str
    paragraphs: tuple[str, ...]
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()


BOOK: tuple[Chapter, ...] = (
    Chapter(
        "第一章 新征程",
        (ZH_BODY, "文库把每一本电子书变成页面图片和可以搜索的文字。"),
        (("第一节 新机遇", ("抢抓新机遇，坚定建设基础教育强区。",)),),
    ),
    Chapter("第二章 思想定力", ("坚定思想定力，办好人民满意的教育。", EN_BODY)),
    Chapter("第三章 结语", ("全书完。",)),
)
BOOK_OUTLINE = [
    (0, "第一章 新征程", 2),
    (1, "第一节 新机遇", 2),
    (0, "第二章 思想定力", 3),
    (0, "第三章 结语", 4),
]


def cover_png() -> bytes:
    """A cover with a title drawn on it (a red page, 600×800)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), (180, 30, 30))
    ImageDraw.Draw(image).rectangle((60, 60, 540, 740), outline="white", width=8)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def chapter_xhtml(chapter: Chapter, *, doctype: str = "", extra: str = "") -> str:
    body = [f"<h1>{escape(chapter.title)}</h1>"]
    body += [f"<p>{escape(text)}</p>" for text in chapter.paragraphs]
    for number, (heading, paragraphs) in enumerate(chapter.sections, 1):
        body.append(f'<h2 id="s{number}">{escape(heading)}</h2>')
        body += [f"<p>{escape(text)}</p>" for text in paragraphs]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f"{doctype}"
        f'<html xmlns="{XHTML}" xml:lang="zh-CN" lang="zh-CN"><head>'
        f"<title>{escape(chapter.title)}</title>"
        '<link rel="stylesheet" type="text/css" href="../styles/book.css"/>'
        f"</head><body>{''.join(body)}{extra}</body></html>"
    )


CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""
CSS = "body { font-family: '宋体', serif; } h1 { font-family: '黑体'; }"


def _nav(book: tuple[Chapter, ...]) -> str:
    items = []
    for number, chapter in enumerate(book, 1):
        inner = "".join(
            f'<li><a href="text/ch{number}.xhtml#s{index}">{escape(heading)}</a></li>'
            for index, (heading, _) in enumerate(chapter.sections, 1)
        )
        nested = f"<ol>{inner}</ol>" if inner else ""
        items.append(
            f'<li><a href="text/ch{number}.xhtml">{escape(chapter.title)}</a>'
            f"{nested}</li>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<html xmlns="{XHTML}" xmlns:epub="http://www.idpf.org/2007/ops">'
        '<head><title>目录</title></head><body><nav epub:type="toc"><h1>目录</h1>'
        f"<ol>{''.join(items)}</ol></nav></body></html>"
    )


def _ncx(book: tuple[Chapter, ...]) -> str:
    points, order = [], 0
    for number, chapter in enumerate(book, 1):
        order += 1
        inner = []
        for index, (heading, _) in enumerate(chapter.sections, 1):
            order += 1
            inner.append(
                f'<navPoint id="p{order}" playOrder="{order}"><navLabel><text>'
                f"{escape(heading)}</text></navLabel>"
                f'<content src="text/ch{number}.xhtml#s{index}"/></navPoint>'
            )
        points.append(
            f'<navPoint id="c{number}" playOrder="{order}"><navLabel><text>'
            f"{escape(chapter.title)}</text></navLabel>"
            f'<content src="text/ch{number}.xhtml"/>{"".join(inner)}</navPoint>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
        '<head><meta name="dtb:uid" content="urn:uuid:wenku-sample"/></head>'
        f"<docTitle><text>{ZH_TITLE}</text></docTitle>"
        f"<navMap>{''.join(points)}</navMap></ncx>"
    )


def _opf(book: tuple[Chapter, ...], *, version: str, cover: bool) -> str:
    items = [
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
        '<item id="css" href="styles/book.css" media-type="text/css"/>',
    ]
    if version == "3.0":
        items.append(
            '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml"'
            ' properties="nav"/>'
        )
    if cover:
        properties = ' properties="cover-image"' if version == "3.0" else ""
        items.append(
            f'<item id="cover-img" href="images/cover.png" media-type="image/png"'
            f"{properties}/>"
        )
    spine = []
    for number in range(1, len(book) + 1):
        items.append(
            f'<item id="ch{number}" href="text/ch{number}.xhtml"'
            ' media-type="application/xhtml+xml"/>'
        )
        spine.append(f'<itemref idref="ch{number}"/>')
    cover_meta = '<meta name="cover" content="cover-img"/>' if cover else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="{version}"'
        ' unique-identifier="uid"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:identifier id="uid">urn:uuid:wenku-sample</dc:identifier>'
        f"<dc:title>{ZH_TITLE}</dc:title><dc:language>zh-CN</dc:language>"
        f"{cover_meta}</metadata><manifest>{''.join(items)}</manifest>"
        f'<spine toc="ncx">{"".join(spine)}</spine></package>'
    )


def epub(
    path: Path,
    *,
    version: str = "3.0",
    book: tuple[Chapter, ...] = BOOK,
    cover: bool = True,
    chapters: dict[int, str] | None = None,
    extra_members: dict[str, str | bytes] | None = None,
) -> Path:
    """An EPUB (3 with nav and NCX, or 2 with NCX only) of `book`, with a cover.

    `chapters` replaces the XHTML of chapter N; `extra_members` adds zip members."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER)
        archive.writestr("OEBPS/content.opf", _opf(book, version=version, cover=cover))
        archive.writestr("OEBPS/toc.ncx", _ncx(book))
        if version == "3.0":
            archive.writestr("OEBPS/nav.xhtml", _nav(book))
        archive.writestr("OEBPS/styles/book.css", CSS)
        if cover:
            archive.writestr("OEBPS/images/cover.png", cover_png())
        for number, chapter in enumerate(book, 1):
            xhtml = (chapters or {}).get(number) or chapter_xhtml(chapter)
            archive.writestr(f"OEBPS/text/ch{number}.xhtml", xhtml)
        for name, data in (extra_members or {}).items():
            archive.writestr(name, data)
    return path


ADEPT_ENCRYPTION = """<?xml version="1.0"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
 xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
<enc:CipherData><enc:CipherReference URI="OEBPS/text/ch1.xhtml"/></enc:CipherData>
</enc:EncryptedData></encryption>"""
ADEPT_RIGHTS = """<?xml version="1.0"?>
<adept:rights xmlns:adept="http://ns.adobe.com/adept"><adept:licenseToken/></adept:rights>"""
FONT_OBFUSCATION = """<?xml version="1.0"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
 xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>
<enc:CipherData><enc:CipherReference URI="OEBPS/fonts/book.otf"/></enc:CipherData>
</enc:EncryptedData></encryption>"""


def drm_epub(path: Path) -> Path:
    """An EPUB whose first chapter is listed as AES-encrypted, with an Adobe ADEPT
    rights file: what a book bought from a DRM store looks like."""
    return epub(
        path,
        extra_members={
            "META-INF/encryption.xml": ADEPT_ENCRYPTION,
            "META-INF/rights.xml": ADEPT_RIGHTS,
        },
    )


def linking_epub(path: Path, remote: str, local: str) -> Path:
    """An EPUB whose chapter, stylesheet and cover point outside the book: a remote
    image, a local file image (file://…), a local file stylesheet and @import."""
    extra = (
        f'<p><img src="{escape(remote)}" alt="remote"/></p>'
        f'<p><img src="{escape(local)}" alt="local"/></p>'
        f'<p><img src="/etc/passwd" alt="root"/></p>'
        f'<object data="{escape(remote)}/object"></object>'
        f'<iframe src="{escape(local)}"></iframe>'
        f'<p style="background: url({escape(remote)}/inline.png)">背景</p>'
    )
    chapter = chapter_xhtml(BOOK[0], extra=extra).replace(
        "</head>",
        f'<link rel="stylesheet" href="{escape(remote)}/remote.css"/>'
        f"<style>@import url({quoteattr(remote + '/import.css')});"
        f" body {{ background-image: url({escape(local)}); }}</style></head>",
    )
    return epub(path, chapters={1: chapter})


# --- MOBI (Mobipocket 6, as Kindle's KindleGen wrote it) ---------------------------

MOBI_HTML = (
    "<html><head><guide></guide></head><body>"
    "<h1>{title}</h1><p>{body}</p><mbp:pagebreak/>"
    "<h1>{title2}</h1><p>{body2}</p></body></html>"
)


def mobi(path: Path, *, encrypted: bool = False) -> Path:
    """A MOBI (version 6) book: PalmDB header, record 0 (PalmDOC + MOBI + EXTH
    headers), uncompressed text records, an image record, and the EOF record.

    `encrypted` sets the PalmDOC encryption type to 2 (Mobipocket DRM)."""
    html = MOBI_HTML.format(
        title=escape(BOOK[0].title),
        body=escape(BOOK[0].paragraphs[0]),
        title2=escape(BOOK[1].title),
        body2=escape(BOOK[1].paragraphs[0]),
    ).encode("utf-8")
    text_records = [html[i : i + 4096] for i in range(0, len(html), 4096)]
    title = ZH_TITLE.encode("utf-8")
    exth_items = [(100, b"Wenku"), (503, title), (524, b"zh")]
    exth_body = b"".join(
        struct.pack(">LL", kind, len(data) + 8) + data for kind, data in exth_items
    )
    exth = b"EXTH" + struct.pack(">LL", 12 + len(exth_body), len(exth_items))
    exth += exth_body
    exth += b"\0" * (-len(exth) % 4)
    header_length = 0xE8
    first_image = 1 + len(text_records)
    mobi_header = bytearray(header_length)
    mobi_header[0:4] = b"MOBI"
    struct.pack_into(">LLLLL", mobi_header, 4, header_length, 2, 65001, 1, 6)
    struct.pack_into(">L", mobi_header, 0x50 - 16, first_image)  # first non-book
    full_name_offset = 16 + header_length + len(exth)
    struct.pack_into(">LL", mobi_header, 0x54 - 16, full_name_offset, len(title))
    struct.pack_into(">L", mobi_header, 0x5C - 16, 2052)  # locale: zh-CN
    struct.pack_into(">L", mobi_header, 0x68 - 16, 6)  # min version
    struct.pack_into(">L", mobi_header, 0x6C - 16, first_image)
    struct.pack_into(">L", mobi_header, 0x80 - 16, 0x40)  # has EXTH
    for offset in (0x28, 0x2C, 0x30, 0x34, 0x38, 0x3C, 0x40, 0x44, 0x48, 0x4C):
        struct.pack_into(">L", mobi_header, offset - 16, 0xFFFFFFFF)
    struct.pack_into(">L", mobi_header, 0xA8 - 16, 0xFFFFFFFF)  # DRM offset
    struct.pack_into(">HH", mobi_header, 0xC0 - 16, 1, len(text_records))
    struct.pack_into(">L", mobi_header, 0xF4 - 16, 0xFFFFFFFF)  # no NCX index
    palmdoc = struct.pack(
        ">HHLHHHH", 1, 0, len(html), len(text_records), 4096, 2 if encrypted else 0, 0
    )
    record0 = palmdoc + bytes(mobi_header) + exth + title
    record0 += b"\0" * (-len(record0) % 4 + 8)
    records = [record0, *text_records, png_bytes("green"), b"\xe9\x8e\r\n"]
    header = bytearray(78)
    header[0:32] = b"Wenku_Sample".ljust(32, b"\0")
    header[60:68] = b"BOOKMOBI"
    struct.pack_into(">H", header, 76, len(records))
    offset = 78 + 8 * len(records) + 2
    entries = b""
    for number, record in enumerate(records):
        entries += struct.pack(">LL", offset, number * 2)
        offset += len(record)
    path.write_bytes(bytes(header) + entries + b"\0\0" + b"".join(records))
    return path


# --- FictionBook 2 ------------------------------------------------------------------


def fb2(path: Path, *, cover: bool = True) -> Path:
    """A FictionBook 2 file of BOOK, with its cover as an embedded binary."""
    sections = []
    for chapter in BOOK:
        inner = "".join(
            f"<section><title><p>{escape(heading)}</p></title>"
            + "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
            + "</section>"
            for heading, paragraphs in chapter.sections
        )
        sections.append(
            f"<section><title><p>{escape(chapter.title)}</p></title>"
            + "".join(f"<p>{escape(text)}</p>" for text in chapter.paragraphs)
            + f"{inner}</section>"
        )
    cover_page = '<coverpage><image l:href="#cover.png"/></coverpage>' if cover else ""
    binary = (
        '<binary id="cover.png" content-type="image/png">'
        f"{base64.b64encode(cover_png()).decode()}</binary>"
        if cover
        else ""
    )
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<FictionBook xmlns="http://www.gribuser.ru/xml/fictionbook/2.0"'
        ' xmlns:l="http://www.w3.org/1999/xlink"><description><title-info>'
        f"<book-title>{ZH_TITLE}</book-title><lang>zh</lang>{cover_page}"
        f"</title-info></description><body>{''.join(sections)}</body>{binary}"
        "</FictionBook>\n",
        encoding="utf-8",
    )
    return path
