"""Decide a file's real type from its bytes, against the registry's allowlist.

The extension only chooses between types the bytes allow (a .wps and a .doc are both
OLE Word files); when the bytes say something the extension does not, the upload is
refused with a reason. Which bytes make which type is in registry.FILE_TYPES.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from wenku.conversion import containers, registry, textfiles
from wenku.conversion.base import REASONS
from wenku.conversion.registry import (
    EncryptedOoxml,
    EpubPackage,
    FileType,
    FlatOdf,
    Magic,
    OdfPackage,
    OleStreams,
    OoxmlPart,
    PlainText,
    Signature,
    XmlRoot,
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
SignatureKind = TypeVar("SignatureKind", bound=Signature)


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
    named = _named_type(file_name)
    try:
        real = detect(source, named.key if named else "")
    except containers.ContainerProblem as problem:
        raise _rejected(problem) from problem
    if real is None:
        raise UNSUPPORTED
    if named and named.key != real and real not in named.may_really_be:
        raise Rejected(
            "mismatch",
            f"文件扩展名 .{named.key} 与实际内容（{real.upper()}）不符 / "
            f"The .{named.key} extension does not match the content ({real.upper()})",
        )
    if registry.BY_KEY[real].is_zip_package and _is_zip(source):
        try:
            containers.check_zip(
                source,
                max_unzipped_bytes=limits["MAX_UNZIPPED_BYTES"],
                max_entries=limits["MAX_ZIP_ENTRIES"],
                check_dtds=not registry.BY_KEY[real].is_epub,
            )
        except containers.ContainerProblem as problem:
            raise _rejected(problem) from problem
    return real


def _rejected(problem: containers.ContainerProblem) -> Rejected:
    return Rejected(problem.code, REASONS.get(problem.code, REASONS["corrupt"]))


def _named_type(file_name: str) -> FileType | None:
    """The type the file name's extension claims; None without an extension."""
    name = Path(file_name).name.lower()
    if "." not in name:
        return None
    named = registry.for_extension(name.rsplit(".", 1)[1])
    if named is None:
        raise UNSUPPORTED
    return named


def _is_zip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == ZIP_MAGIC


def detect(path: Path, extension: str = "") -> str | None:
    """The type the bytes say, or None; `extension` only chooses among the types
    whose bytes look the same (txt or csv, doc or wps, which encrypted OOXML).
    Raises ContainerProblem for an XML file named as flat ODF that has a DOCTYPE,
    and for a zip that does not open (damaged)."""
    named = registry.for_extension(extension)
    signature = _signature(path, named)
    if signature is None:
        return None
    alike = [record for record in registry.FILE_TYPES if signature in record.signatures]
    return (named if named in alike else alike[0]).key


def _of_kind(kind: type[SignatureKind]) -> Iterator[SignatureKind]:
    """Signatures of one kind, in registry order."""
    seen: list[Signature] = []
    for record in registry.FILE_TYPES:
        for signature in record.signatures:
            if isinstance(signature, kind) and signature not in seen:
                seen.append(signature)
                yield signature


def _signature(path: Path, named: FileType | None) -> Signature | None:
    """The first signature the bytes match: containers first, text last."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    if head.startswith(OLE_MAGIC):
        return _ole_signature(path, named)
    if head.startswith(ZIP_MAGIC):
        return _zip_signature(path)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        flat = _flat_odf_signature(path, named)
        if flat is not None:
            return flat
    for magic in _of_kind(Magic):
        if magic.found_in(head):
            return magic
    if textfiles.looks_like_text(path):
        return next(_of_kind(PlainText), None)
    return None


def _ole_signature(path: Path, named: FileType | None) -> Signature | None:
    try:
        streams = {name.lower() for name in containers.ole_streams(path)}
    except OSError:
        return None
    for encrypted in _of_kind(EncryptedOoxml):
        if encrypted.found_in(streams):
            return encrypted  # only the extension can say which OOXML type
    trusted = [ole for ole in _of_kind(OleStreams) if not ole.only_with_extension]
    claimed = [
        ole
        for ole in (named.signatures if named else ())
        if isinstance(ole, OleStreams) and ole.only_with_extension
    ]
    return next((ole for ole in (*trusted, *claimed) if ole.found_in(streams)), None)


def _zip_signature(path: Path) -> Signature | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(100).decode("ascii", "replace").strip()
                packages: tuple[OdfPackage | EpubPackage, ...] = (
                    *_of_kind(OdfPackage),
                    *_of_kind(EpubPackage),
                )
                return next((p for p in packages if p.mimetype == mimetype), None)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        # A zip that does not open (a truncated .docx) is damaged, not unknown.
        raise containers.ContainerProblem("corrupt", f"broken zip: {exc}") from exc
    if "[Content_Types].xml" in names:
        for ooxml in _of_kind(OoxmlPart):
            if ooxml.part in names:
                return ooxml
    return None


def _flat_odf_signature(path: Path, named: FileType | None) -> Signature | None:
    try:
        root = containers.xml_root(path)
    except containers.ContainerProblem:
        # A DOCTYPE: refused as unsafe when named as flat ODF, else just not one.
        if named is not None and named.is_flat_xml:
            raise
        return None
    if root is None:
        return None
    by_root = next((xml for xml in _of_kind(XmlRoot) if xml.tag == root[0]), None)
    if by_root is not None:
        return by_root
    if root[0] != f"{{{ODF_OFFICE}}}document":
        return None
    mimetype = root[1].get(f"{{{ODF_OFFICE}}}mimetype", "")
    return next((flat for flat in _of_kind(FlatOdf) if flat.mimetype == mimetype), None)
