"""Looking inside zip and OLE containers without trusting them.

Used both when an upload arrives (sniff) and again before conversion (preflight):
zip bombs are refused from the central directory alone, XML parts that declare a
DOCTYPE (the door to entity expansion and external entities) are refused, and
encryption is detected before LibreOffice could ask for a password.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import defusedxml.ElementTree as SafeET
import olefile
from defusedxml import DefusedXmlException

XML_SUFFIXES = (".xml", ".rels", ".rdf", ".vml")
PROLOG_LIMIT = 64 * 1024
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_DOCTYPE = re.compile(rb"<!DOCTYPE([^>]*)>?", re.IGNORECASE)
_ROOT = re.compile(rb"<[A-Za-z_]")


@dataclass(frozen=True)
class ContainerProblem(Exception):
    """A container refused for a reason a person can read (code as in base.REASONS)."""

    code: str
    detail: str


def zip_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def check_zip(
    path: Path, *, max_unzipped_bytes: int, max_entries: int, check_dtds: bool = True
) -> None:
    """Refuse zip bombs (by the central directory) and XML parts with a DOCTYPE.

    `check_dtds=False` for EPUB: its reader parses every member itself without
    reading a DTD (the XHTML 1.1 DOCTYPE with its URL is in most EPUB 2 books) and
    refuses declared entities."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > max_entries:
                raise ContainerProblem("too_large", f"{len(infos)} entries")
            total = sum(info.file_size for info in infos)
            if total > max_unzipped_bytes:
                raise ContainerProblem("too_large", f"{total // 2**20} MB unzipped")
            for info in infos if check_dtds else ():
                if info.filename.lower().endswith(XML_SUFFIXES) and _declares_dtd(
                    archive, info
                ):
                    raise ContainerProblem("unsafe", f"DOCTYPE in {info.filename}")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise ContainerProblem("corrupt", f"broken zip: {exc}") from exc
    except NotImplementedError as exc:  # unknown compression method
        raise ContainerProblem("corrupt", str(exc)) from exc


def _declares_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """True when the XML prolog (everything before the root element) has a risky DTD."""
    prolog = b""
    with archive.open(info) as stream:
        while len(prolog) < PROLOG_LIMIT:
            chunk = stream.read(4096)
            if not chunk:
                break
            prolog += chunk
            visible = _COMMENT.sub(b"", prolog)
            doctype = _DOCTYPE.search(visible)
            if doctype and _dangerous_doctype(doctype.group(1)):
                return True
            # Only what precedes an unterminated comment is settled.
            settled = visible.split(b"<!--", 1)[0]
            if _ROOT.search(settled):
                return False
    return len(prolog) >= PROLOG_LIMIT  # a prolog this long is not a real document


def _dangerous_doctype(body: bytes) -> bool:
    """LibreOffice's own Basic library files carry a bare DOCTYPE naming a local
    DTD; an internal subset (entities) or a URL (external fetch) is refused."""
    return b"[" in body or b"<!" in body or b":" in body.split(b'"', 1)[-1]


def read_small_xml(path: Path, name: str, limit: int = 1024 * 1024) -> object | None:
    """Parse one small zip member with defusedxml (no entities, no DTDs)."""
    with zipfile.ZipFile(path) as archive:
        try:
            info = archive.getinfo(name)
        except KeyError:
            return None
        if info.file_size > limit:
            raise ContainerProblem("too_large", f"{name} is {info.file_size} bytes")
        data = archive.read(info)
    try:
        return SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise ContainerProblem("unsafe", f"{name}: {type(exc).__name__}") from exc
    except SafeET.ParseError as exc:
        raise ContainerProblem("corrupt", f"{name}: {exc}") from exc


class _FirstElement:
    """A parser target keeping only the root element's tag and attributes."""

    def __init__(self) -> None:
        self.root: tuple[str, dict[str, str]] | None = None

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if self.root is None:
            self.root = (tag, dict(attrib))

    def close(self) -> None:
        return None


def xml_root(path: Path) -> tuple[str, dict[str, str]] | None:
    """Tag and attributes of an XML file's root element, parsed with defusedxml from
    at most PROLOG_LIMIT bytes; None when the bytes are not XML or show no root.

    Any DOCTYPE (the door to entity expansion and external entities) raises
    ContainerProblem('unsafe'): flat ODF files never carry one."""
    target = _FirstElement()
    parser = SafeET.DefusedXMLParser(target=target, forbid_dtd=True)
    read = 0
    with path.open("rb") as handle:
        while target.root is None and read < PROLOG_LIMIT:
            chunk = handle.read(4096)
            if not chunk:
                break
            read += len(chunk)
            try:
                parser.feed(chunk)
            except DefusedXmlException as exc:
                raise ContainerProblem("unsafe", type(exc).__name__) from exc
            except SafeET.ParseError:
                return None
    return target.root


def odf_is_encrypted(path: Path) -> bool:
    """ODF packages list per-file encryption data in META-INF/manifest.xml."""
    root = read_small_xml(path, "META-INF/manifest.xml")
    if root is None:
        return False
    return any(elem.tag.endswith("encryption-data") for elem in root.iter())  # type: ignore[attr-defined]


def ole_streams(path: Path) -> set[str]:
    """Top-level stream and storage names of an OLE2 compound file; OSError when the
    compound file is broken."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            return {
                "/".join(entry) for entry in ole.listdir(streams=True, storages=True)
            }
    except ValueError as exc:  # olefile on some truncated sector tables
        raise OSError(f"broken compound file: {exc}") from exc


# The password Excel encrypts a workbook with when its author set none (a workbook
# protected against changes, not against reading): Excel and LibreOffice open such a
# file without asking, so it is no encrypted upload.
EXCEL_DEFAULT_PASSWORD = "VelvetSweatshop"  # noqa: S105 (a published constant)


def ole_is_encrypted(path: Path) -> bool:
    """Password-protected doc/xls/ppt (and WPS/ET/DPS) or encrypted OOXML; not a
    file encrypted with Excel's default password, which opens without one."""
    import msoffcrypto

    try:
        with path.open("rb") as handle:
            office = msoffcrypto.OfficeFile(handle)
            if not office.is_encrypted():
                return False
            # The 97-2003 formats verify a password as they load it; OOXML on asking.
            verify = {"verify_password": True} if office.format == "ooxml" else {}
            try:
                office.load_key(password=EXCEL_DEFAULT_PASSWORD, **verify)
            except Exception:
                return True  # another password, or one msoffcrypto cannot verify
            return False
    except Exception:
        # msoffcrypto cannot read it: the streams an encrypted OOXML file has.
        streams = ole_streams(path)
        return "EncryptionInfo" in streams or "EncryptedPackage" in streams
