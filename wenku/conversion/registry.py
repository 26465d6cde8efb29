"""Every file type Wenku accepts: one record each, in one explicit tuple.

Everything else reads FILE_TYPES: sniffing (which bytes make which type, which
extensions may carry it), preflight (which container checks run), converter
dispatch, the upload form's `accept`, the format filters of the listings and of
search, and the download Content-Type. Adding a format is one record here, a
converter only if none fits, one sample and one golden test (docs/conversion.md).

Records are tried in this order: when two signatures could both match a file, the
earlier record's wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from wenku.conversion.base import ConversionError, Converter
from wenku.conversion.converters import (
    CsvConverter,
    EpubConverter,
    Fb2Converter,
    MarkdownConverter,
    MobiConverter,
    OfficeConverter,
    PdfConverter,
    TextConverter,
)

# --- signatures: what the bytes of a type look like (sniff.py reads the file) ---


@dataclass(frozen=True)
class OleStreams:
    """An OLE2 compound file holding every stream (lower-case) of one of these sets."""

    any_of: tuple[frozenset[str], ...]
    # Too weak to decide alone: it counts only when the extension names this type.
    only_with_extension: bool = False

    def found_in(self, streams: set[str]) -> bool:
        return any(names <= streams for names in self.any_of)


@dataclass(frozen=True)
class EncryptedOoxml:
    """An OLE2 file with EncryptionInfo and EncryptedPackage: password-protected OOXML."""

    def found_in(self, streams: set[str]) -> bool:
        return {"encryptioninfo", "encryptedpackage"} <= streams


@dataclass(frozen=True)
class OoxmlPart:
    """A zip with [Content_Types].xml and this main part."""

    part: str


@dataclass(frozen=True)
class OdfPackage:
    """A zip whose `mimetype` member says this."""

    mimetype: str


@dataclass(frozen=True)
class EpubPackage:
    """An EPUB (OCF) zip whose `mimetype` member says application/epub+zip."""

    mimetype: str = "application/epub+zip"


@dataclass(frozen=True)
class XmlRoot:
    """An XML file whose root element is this (namespace-qualified) tag."""

    tag: str


@dataclass(frozen=True)
class FlatOdf:
    """A single-XML ODF file: root office:document whose office:mimetype says this."""

    mimetype: str


@dataclass(frozen=True)
class Magic:
    """These bytes at the very start, or anywhere in the first `within` bytes."""

    prefix: bytes
    within: int = 0

    def found_in(self, head: bytes) -> bool:
        if self.within:
            return self.prefix in head[: self.within]
        return head.startswith(self.prefix)


@dataclass(frozen=True)
class PlainText:
    """Text in an encoding textfiles can decide, and not markup."""


Signature = (
    OleStreams
    | EncryptedOoxml
    | OoxmlPart
    | OdfPackage
    | EpubPackage
    | FlatOdf
    | XmlRoot
    | Magic
    | PlainText
)


# --- the records ----------------------------------------------------------------


@dataclass(frozen=True)
class FormatGroup:
    """A family of types offered as one format filter, on listings and in search."""

    key: str
    label: str


@dataclass(frozen=True)
class FileType:
    """One accepted type; `key` is what Document.file_type stores."""

    key: str
    label: str
    group: str  # a FormatGroup key
    extensions: tuple[str, ...]  # the key first, then template/macro variants
    mime_types: tuple[str, ...]  # the first is served on download
    # Records whose bytes look the same share a signature; the extension picks one
    # of them (a .wps Word file is a "wps"), else the first in FILE_TYPES wins.
    signatures: tuple[Signature, ...]
    converter: type[Converter]
    # Other real types accepted under this type's extensions (e.g. the many .doc
    # files that are really RTF or DOCX); stored as the real type.
    may_really_be: tuple[str, ...] = ()

    @property
    def is_zip_package(self) -> bool:
        """Zip-based: zip-bomb and DTD checks at upload and before conversion."""
        return any(
            isinstance(s, OoxmlPart | OdfPackage | EpubPackage) for s in self.signatures
        )

    @property
    def is_epub(self) -> bool:
        return any(isinstance(s, EpubPackage) for s in self.signatures)

    @property
    def is_odf_package(self) -> bool:
        return any(isinstance(s, OdfPackage) for s in self.signatures)

    @property
    def is_flat_xml(self) -> bool:
        """One XML file: refused with any DOCTYPE at upload and before conversion."""
        return any(isinstance(s, FlatOdf | XmlRoot) for s in self.signatures)

    @property
    def may_be_ole(self) -> bool:
        """May arrive as an OLE2 file: checked for a password before conversion."""
        return any(isinstance(s, OleStreams | EncryptedOoxml) for s in self.signatures)


GROUPS: tuple[FormatGroup, ...] = (
    FormatGroup("word", "Word"),
    FormatGroup("excel", "Excel"),
    FormatGroup("ppt", "PPT"),
    FormatGroup("pdf", "PDF"),
    FormatGroup("txt", "TXT"),
    FormatGroup("ebook", "电子书"),
)

WORD_BINARY = OleStreams((frozenset({"worddocument"}),))
EXCEL_BINARY = OleStreams((frozenset({"workbook"}), frozenset({"book"})))
POWERPOINT_BINARY = OleStreams((frozenset({"powerpoint document"}),))
# Microsoft Works word processor files: streams too generic to trust without .wps.
WORKS = OleStreams(
    (frozenset({"contents"}), frozenset({"mm", "mn0"})), only_with_extension=True
)
ENCRYPTED_OOXML = EncryptedOoxml()
# Excel 4.0: one BIFF4 stream, no OLE container; BOF record 0x0409, length 6.
BIFF4 = Magic(b"\x09\x04\x06\x00")
WORDML = XmlRoot("{http://schemas.microsoft.com/office/word/2003/wordml}wordDocument")
TEXT = PlainText()

FILE_TYPES: tuple[FileType, ...] = (
    FileType(
        key="doc",
        label="Word 97–2003 文档",
        group="word",
        extensions=("doc", "dot"),
        mime_types=("application/msword",),
        signatures=(WORD_BINARY,),
        converter=OfficeConverter,
        may_really_be=("rtf", "docx", "xml"),
    ),
    FileType(
        key="docx",
        label="Word 文档",
        group="word",
        extensions=("docx", "docm", "dotx", "dotm"),
        mime_types=(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        signatures=(OoxmlPart("word/document.xml"), ENCRYPTED_OOXML),
        converter=OfficeConverter,
        may_really_be=("doc",),
    ),
    FileType(
        key="wps",
        label="WPS 文字",
        group="word",
        extensions=("wps", "wpt"),
        mime_types=("application/vnd.ms-works",),
        # Kingsoft WPS 文字 writes the Word binary format under its own name.
        signatures=(WORD_BINARY, WORKS),
        converter=OfficeConverter,
    ),
    FileType(
        key="rtf",
        label="RTF 富文本",
        group="word",
        extensions=("rtf",),
        mime_types=("application/rtf",),
        signatures=(Magic(b"{\\rtf"),),
        converter=OfficeConverter,
        may_really_be=("doc", "docx"),
    ),
    FileType(
        key="odt",
        label="ODF 文本文档",
        group="word",
        extensions=("odt", "ott"),
        mime_types=("application/vnd.oasis.opendocument.text",),
        signatures=(OdfPackage("application/vnd.oasis.opendocument.text"),),
        converter=OfficeConverter,
    ),
    FileType(
        key="fodt",
        label="ODF 文本文档（单一 XML）",
        group="word",
        extensions=("fodt",),
        mime_types=("application/vnd.oasis.opendocument.text-flat-xml",),
        signatures=(FlatOdf("application/vnd.oasis.opendocument.text"),),
        converter=OfficeConverter,
    ),
    FileType(
        key="xml",
        label="Word 2003 XML 文档",
        group="word",
        extensions=("xml",),
        mime_types=("application/xml",),
        signatures=(WORDML,),
        converter=OfficeConverter,
    ),
    FileType(
        key="wpd",
        label="WordPerfect 文档",
        group="word",
        extensions=("wpd", "wp", "wp5", "wp6"),
        mime_types=("application/vnd.wordperfect",),
        # WordPerfect 5.x and later: \xffWPC, then the document's offset.
        signatures=(Magic(b"\xffWPC"),),
        converter=OfficeConverter,
    ),
    FileType(
        key="txt",
        label="纯文本",
        group="txt",
        extensions=("txt", "text"),
        mime_types=("text/plain",),
        signatures=(TEXT,),
        converter=TextConverter,
    ),
    FileType(
        key="md",
        label="Markdown 文本",
        group="txt",
        extensions=("md", "markdown"),
        mime_types=("text/markdown",),
        signatures=(TEXT,),
        converter=MarkdownConverter,
    ),
    FileType(
        key="xls",
        label="Excel 97–2003 工作簿",
        group="excel",
        extensions=("xls", "xlt"),
        mime_types=("application/vnd.ms-excel",),
        signatures=(EXCEL_BINARY, BIFF4),
        converter=OfficeConverter,
        may_really_be=("xlsx",),
    ),
    FileType(
        key="xlsx",
        label="Excel 工作簿",
        group="excel",
        extensions=("xlsx", "xlsm", "xltx", "xltm"),
        mime_types=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        signatures=(OoxmlPart("xl/workbook.xml"), ENCRYPTED_OOXML),
        converter=OfficeConverter,
        may_really_be=("xls",),
    ),
    FileType(
        key="et",
        label="WPS 表格",
        group="excel",
        extensions=("et", "ett"),
        mime_types=(),  # none registered: served as application/octet-stream
        signatures=(EXCEL_BINARY,),
        converter=OfficeConverter,
    ),
    FileType(
        key="ods",
        label="ODF 电子表格",
        group="excel",
        extensions=("ods", "ots"),
        mime_types=("application/vnd.oasis.opendocument.spreadsheet",),
        signatures=(OdfPackage("application/vnd.oasis.opendocument.spreadsheet"),),
        converter=OfficeConverter,
    ),
    FileType(
        key="fods",
        label="ODF 电子表格（单一 XML）",
        group="excel",
        extensions=("fods",),
        mime_types=("application/vnd.oasis.opendocument.spreadsheet-flat-xml",),
        signatures=(FlatOdf("application/vnd.oasis.opendocument.spreadsheet"),),
        converter=OfficeConverter,
    ),
    FileType(
        key="csv",
        label="CSV 表格",
        group="excel",
        extensions=("csv",),
        mime_types=("text/csv",),
        signatures=(TEXT,),
        converter=CsvConverter,
    ),
    FileType(
        key="ppt",
        label="PowerPoint 97–2003 演示文稿",
        group="ppt",
        extensions=("ppt", "pot", "pps"),
        mime_types=("application/vnd.ms-powerpoint",),
        signatures=(POWERPOINT_BINARY,),
        converter=OfficeConverter,
        may_really_be=("pptx",),
    ),
    FileType(
        key="pptx",
        label="PowerPoint 演示文稿",
        group="ppt",
        extensions=("pptx", "pptm", "potx", "ppsx"),
        mime_types=(
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        signatures=(OoxmlPart("ppt/presentation.xml"), ENCRYPTED_OOXML),
        converter=OfficeConverter,
        may_really_be=("ppt",),
    ),
    FileType(
        key="dps",
        label="WPS 演示",
        group="ppt",
        extensions=("dps", "dpt"),
        mime_types=(),  # none registered: served as application/octet-stream
        signatures=(POWERPOINT_BINARY,),
        converter=OfficeConverter,
    ),
    FileType(
        key="odp",
        label="ODF 演示文稿",
        group="ppt",
        extensions=("odp", "otp"),
        mime_types=("application/vnd.oasis.opendocument.presentation",),
        signatures=(OdfPackage("application/vnd.oasis.opendocument.presentation"),),
        converter=OfficeConverter,
    ),
    FileType(
        key="fodp",
        label="ODF 演示文稿（单一 XML）",
        group="ppt",
        extensions=("fodp",),
        mime_types=("application/vnd.oasis.opendocument.presentation-flat-xml",),
        signatures=(FlatOdf("application/vnd.oasis.opendocument.presentation"),),
        converter=OfficeConverter,
    ),
    FileType(
        key="pdf",
        label="PDF 文档",
        group="pdf",
        extensions=("pdf",),
        mime_types=("application/pdf",),
        signatures=(Magic(b"%PDF-", within=1024),),
        converter=PdfConverter,
    ),
    FileType(
        key="epub",
        label="EPUB 电子书",
        group="ebook",
        extensions=("epub",),
        mime_types=("application/epub+zip",),
        signatures=(EpubPackage(),),
        converter=EpubConverter,
    ),
    FileType(
        key="mobi",
        label="Kindle 电子书（MOBI/AZW3）",
        group="ebook",
        extensions=("mobi", "azw3", "azw", "prc"),
        mime_types=("application/x-mobipocket-ebook",),
        # PalmDB type and creator at offset 60: BOOKMOBI (MOBI 6 and KF8 alike).
        signatures=(Magic(b"BOOKMOBI", within=68),),
        converter=MobiConverter,
    ),
    FileType(
        key="fb2",
        label="FictionBook 电子书",
        group="ebook",
        extensions=("fb2",),
        mime_types=("application/x-fictionbook+xml",),
        signatures=(
            XmlRoot("{http://www.gribuser.ru/xml/fictionbook/2.0}FictionBook"),
        ),
        converter=Fb2Converter,
    ),
)

BY_KEY: dict[str, FileType] = {record.key: record for record in FILE_TYPES}
BY_EXTENSION: dict[str, FileType] = {
    extension: record for record in FILE_TYPES for extension in record.extensions
}
GROUP_BY_KEY: dict[str, FormatGroup] = {group.key: group for group in GROUPS}


def get(file_type: str) -> FileType:
    """The record of a stored type, or ConversionError('unsupported')."""
    try:
        return BY_KEY[file_type]
    except KeyError:
        raise ConversionError("unsupported", file_type) from None


def converter_for(file_type: str) -> Converter:
    """A converter instance for `file_type`, or ConversionError('unsupported')."""
    return get(file_type).converter()


def for_extension(extension: str) -> FileType | None:
    """The type a file name's extension (without the dot, any case) claims."""
    return BY_EXTENSION.get(extension.lower())


def accept_attribute() -> str:
    """The upload input's `accept`: each type's main extension."""
    return ",".join(f".{record.extensions[0]}" for record in FILE_TYPES)


def mime_type(file_type: str) -> str:
    """The Content-Type a stored original of this type is served with."""
    record = BY_KEY.get(file_type)
    if record is None or not record.mime_types:
        return "application/octet-stream"
    return record.mime_types[0]


def group_for(value: str) -> FormatGroup | None:
    """The format filter a URL value means: a group key ("word"), or a type or
    extension ("docx", the values search used to offer) standing for its group."""
    value = value.strip().lower()
    record = BY_EXTENSION.get(value)
    return GROUP_BY_KEY.get(value) or (GROUP_BY_KEY[record.group] if record else None)


def group_types(group: str) -> tuple[str, ...]:
    """The stored types the format filter `group` (a FormatGroup key) selects."""
    return tuple(record.key for record in FILE_TYPES if record.group == group)
