"""Checks before any converter runs: zip bombs, DTDs, encryption."""

from __future__ import annotations

from pathlib import Path

from wenku.conversion import containers, registry
from wenku.conversion.base import Context, ConversionError
from wenku.conversion.ebooks import epub, kindle


def check(ctx: Context, source: Path, file_type: str) -> None:
    """Raise ConversionError when the file must not reach a converter."""
    record = registry.get(file_type)
    with source.open("rb") as handle:
        magic = handle.read(8)
    try:
        if record.is_zip_package and magic.startswith(b"PK\x03\x04"):
            containers.check_zip(
                source,
                max_unzipped_bytes=ctx.max_unzipped_bytes,
                max_entries=ctx.max_zip_entries,
                check_dtds=not record.is_epub,
            )
            if record.is_odf_package and containers.odf_is_encrypted(source):
                raise ConversionError("encrypted")
            if record.is_epub:
                epub.check_drm(epub.Package(source))
        elif record.is_flat_xml and containers.xml_root(source) is None:
            raise ConversionError("corrupt", "no XML root element")
        elif record.key == "mobi":
            kindle.check_drm(source)
        elif (
            record.may_be_ole
            and magic.startswith(b"\xd0\xcf\x11\xe0")
            and containers.ole_is_encrypted(source)
        ):
            raise ConversionError("encrypted")
    except containers.ContainerProblem as problem:
        raise ConversionError(problem.code, problem.detail) from problem
    except OSError as exc:  # olefile raises OSError on a broken compound file
        raise ConversionError("corrupt", str(exc)[:200]) from exc
