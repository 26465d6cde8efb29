"""Converters: each turns one file into one PDF inside the job folder.

Which converter a type uses is its record in registry.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from wenku.conversion import office, procs, textfiles
from wenku.conversion.base import Context, ConversionError

TEXT_FILTER = "Text (encoded)"
CSV_FILTER = "Text - txt - csv (StarCalc)"
CSV_UTF8 = 76  # LibreOffice's text-encoding number for UTF-8


def pool_for(ctx: Context) -> office.OfficePool:
    return office.shared_pool(
        office.PoolConfig(
            size=ctx.pool_size,
            jobs_per_process=ctx.jobs_per_process,
            job_timeout=ctx.job_timeout,
            memory_limit_bytes=ctx.memory_limit_bytes,
            uno_python=ctx.uno_python,
            soffice=ctx.soffice_bin,
            font_cache=ctx.font_cache,
        )
    )


def _checked_pdf(path: Path) -> Path:
    # soffice may report success and write nothing (e.g. some encrypted files).
    if not path.exists() or path.stat().st_size == 0:
        raise ConversionError("corrupt", "LibreOffice produced no PDF")
    with path.open("rb") as handle:
        if not handle.read(1024).lstrip().startswith(b"%PDF-"):
            raise ConversionError("corrupt", "LibreOffice produced no PDF")
    return path


class OfficeConverter:
    """Word processor, spreadsheet and presentation files through the LibreOffice pool."""

    def to_pdf(self, ctx: Context, source: Path, workdir: Path) -> Path:
        target = workdir / "converted.pdf"
        try:
            pool_for(ctx).convert(source, target)
        except office.CrashedOnFile:
            # LibreOffice 7.4 (-nogui) aborts building view widgets for some files
            # over UNO; a one-off `soffice --convert-to` with the same hardened
            # profile converts them without a view.
            return _checked_pdf(self._fallback(ctx, source, workdir))
        return _checked_pdf(target)

    def _fallback(self, ctx: Context, source: Path, workdir: Path) -> Path:
        outdir = workdir / "fallback"
        outdir.mkdir(exist_ok=True)
        try:
            return office.convert_with_soffice_cli(
                source,
                outdir,
                timeout=ctx.job_timeout,
                hardened=True,
                memory_limit_bytes=ctx.memory_limit_bytes,
                soffice=ctx.soffice,
                font_cache=ctx.font_cache,
            )
        except procs.TimedOut as exc:
            raise ConversionError("timeout", "LibreOffice") from exc


class TextConverter:
    """Plain text in any common encoding, re-encoded as UTF-8, typeset by LibreOffice."""

    def to_pdf(self, ctx: Context, source: Path, workdir: Path) -> Path:
        text = textfiles.read_text(source, ctx.max_text_bytes)
        utf8 = workdir / "text-utf8.txt"
        utf8.write_text(text, encoding="utf-8")
        target = workdir / "converted.pdf"
        pool_for(ctx).convert(
            utf8, target, filter=TEXT_FILTER, options="UTF8,LF,,zh-CN"
        )
        return _checked_pdf(target)


class CsvConverter:
    """CSV in any common encoding, opened as a spreadsheet."""

    def to_pdf(self, ctx: Context, source: Path, workdir: Path) -> Path:
        text = textfiles.read_text(source, ctx.max_text_bytes)
        utf8 = workdir / "Sheet1.csv"
        utf8.write_text(text, encoding="utf-8")
        separator = ord(textfiles.csv_separator(text))
        target = workdir / "converted.pdf"
        pool_for(ctx).convert(
            utf8,
            target,
            filter=CSV_FILTER,
            options=f"{separator},34,{CSV_UTF8},1",
            plain_pages=True,
        )
        return _checked_pdf(target)


class PdfConverter:
    """A PDF is already a PDF; pdf.py checks it when rendering."""

    def to_pdf(self, ctx: Context, source: Path, workdir: Path) -> Path:
        if source.parent == workdir:
            return source
        return Path(shutil.copyfile(source, workdir / "converted.pdf"))
