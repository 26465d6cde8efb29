"""Decide a file's real type from its bytes, against an allowlist.

The extension only chooses between types the bytes allow (a .wps and a .doc are both
OLE Word files); when the bytes say something the extension does not, the upload is
refused with a reason.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from wenku.conversion import containers, textfiles

WORD = ("doc", "docx", "wps", "rtf", "odt", "txt")
SHEET = ("xls", "xlsx", "et", "ods", "csv")
SLIDES = ("ppt", "pptx", "dps", "odp")
ALLOWED = (*WORD, *SHEET, *SLIDES, "pdf")

# Template and macro-enabled variants are the same formats.
EXTENSION_ALIASES = {
    "dot": "doc", "docm": "docx", "dotx": "docx", "dotm": "docx", "wpt": "wps",
    "xlt": "xls", "xlsm": "xlsx", "xltx": "xlsx", "xltm": "xlsx", "ett": "et",
    "pot": "ppt", "pps": "ppt", "pptm": "pptx", "potx": "pptx", "ppsx": "pptx",
    "dpt": "dps", "text": "txt", "ott": "odt", "ots": "ods", "otp": "odp",
}  # fmt: skip
# Real types that may stand behind another extension of the same family, e.g. the
# many ".doc" files that are really RTF or DOCX. Kingsoft's WPS/ET/DPS are the
# Microsoft binary formats under another name.
COMPATIBLE = {
    "doc": ("doc", "rtf", "docx", "wps"),
    "wps": ("wps", "doc"),
    "docx": ("docx", "doc"),
    "rtf": ("rtf", "doc", "docx"),
    "xls": ("xls", "xlsx", "et"),
    "et": ("et", "xls"),
    "xlsx": ("xlsx", "xls"),
    "ppt": ("ppt", "pptx", "dps"),
    "dps": ("dps", "ppt"),
    "pptx": ("pptx", "ppt"),
    "txt": ("txt", "csv"),
    "csv": ("csv", "txt"),
}
OOXML_PARTS = (
    ("word/document.xml", "docx"),
    ("xl/workbook.xml", "xlsx"),
    ("ppt/presentation.xml", "pptx"),
)
ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Rejected(Exception):
    """An upload refused at the door; message is Chinese first, then English."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


UNSUPPORTED = Rejected("unsupported", "暂不支持该文件类型 / Unsupported file type")


def sniff(path: str, file_name: str) -> str:
    """Return the real file type (e.g. 'docx'), or raise Rejected with a reason."""
    from django.conf import settings

    limits = settings.CONVERSION
    source = Path(path)
    extension = _extension(file_name)
    real = detect(source, extension)
    if real is None or real not in ALLOWED:
        raise UNSUPPORTED
    if extension and extension != real:
        if real not in COMPATIBLE.get(extension, ()):
            raise Rejected(
                "mismatch",
                f"文件扩展名 .{extension} 与实际内容（{real.upper()}）不符 / "
                f"The .{extension} extension does not match the content ({real.upper()})",
            )
        if extension in ("wps", "et", "dps"):
            real = extension  # Kingsoft's names for the Microsoft binary formats
    if real in ("docx", "xlsx", "pptx", "odt", "ods", "odp") and _is_zip(source):
        try:
            containers.check_zip(
                source,
                max_unzipped_bytes=limits["MAX_UNZIPPED_BYTES"],
                max_entries=limits["MAX_ZIP_ENTRIES"],
            )
        except containers.ContainerProblem as problem:
            raise _rejected(problem) from problem
    return real


def _rejected(problem: containers.ContainerProblem) -> Rejected:
    from wenku.conversion.base import REASONS

    return Rejected(problem.code, REASONS.get(problem.code, REASONS["corrupt"]))


def _extension(file_name: str) -> str:
    name = Path(file_name).name.lower()
    if "." not in name:
        return ""
    extension = name.rsplit(".", 1)[1]
    extension = EXTENSION_ALIASES.get(extension, extension)
    if extension not in ALLOWED:
        raise UNSUPPORTED
    return extension


def _is_zip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def detect(path: Path, extension: str = "") -> str | None:
    """The type the bytes say, or None; `extension` only breaks ties in text and OLE."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    if head.startswith(OLE_MAGIC):
        return _detect_ole(path, extension)
    if head.startswith(b"PK\x03\x04"):
        return _detect_zip(path)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if textfiles.looks_like_text(path):
        return "csv" if extension == "csv" else "txt"
    return None


def _detect_ole(path: Path, extension: str) -> str | None:
    try:
        streams = {name.lower() for name in containers.ole_streams(path)}
    except OSError:
        return None
    if "encryptioninfo" in streams and "encryptedpackage" in streams:
        # An encrypted OOXML file: only the extension can say which one.
        return extension if extension in ("docx", "xlsx", "pptx") else "docx"
    if "worddocument" in streams:
        return "doc"
    if "workbook" in streams or "book" in streams:
        return "xls"
    if "powerpoint document" in streams:
        return "ppt"
    if extension == "wps" and ({"contents"} <= streams or {"mm", "mn0"} <= streams):
        return "wps"  # Microsoft Works word processor
    return None


def _detect_zip(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace")
                return ODF_MIMETYPES.get(mimetype.strip())
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    if "[Content_Types].xml" in names:
        for part, file_type in OOXML_PARTS:
            if part in names:
                return file_type
    return None
