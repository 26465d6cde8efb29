"""Checks before any converter runs: zip bombs, DTDs, encryption."""

from __future__ import annotations

from pathlib import Path

from wenku.conversion import containers
from wenku.conversion.base import Context, ConversionError

ZIP_TYPES = ("docx", "xlsx", "pptx", "odt", "ods", "odp")
ODF_TYPES = ("odt", "ods", "odp")
OLE_TYPES = ("doc", "wps", "xls", "et", "ppt", "dps", "docx", "xlsx", "pptx")


def check(ctx: Context, source: Path, file_type: str) -> None:
    """Raise ConversionError when the file must not reach a converter."""
    with source.open("rb") as handle:
        magic = handle.read(8)
    try:
        if file_type in ZIP_TYPES and magic.startswith(b"PK\x03\x04"):
            containers.check_zip(
                source,
                max_unzipped_bytes=ctx.max_unzipped_bytes,
                max_entries=ctx.max_zip_entries,
            )
            if file_type in ODF_TYPES and containers.odf_is_encrypted(source):
                raise ConversionError("encrypted")
        elif (
            file_type in OLE_TYPES
            and magic.startswith(b"\xd0\xcf\x11\xe0")
            and containers.ole_is_encrypted(source)
        ):
            raise ConversionError("encrypted")
    except containers.ContainerProblem as problem:
        raise ConversionError(problem.code, problem.detail) from problem
    except OSError as exc:  # olefile raises OSError on a broken compound file
        raise ConversionError("corrupt", str(exc)[:200]) from exc
