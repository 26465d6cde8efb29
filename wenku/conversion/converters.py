"""Converters: each turns one file into one PDF inside the job folder.

Which converter a type uses is its record in registry.py.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from wenku.conversion import fonts, office, procs, textfiles
from wenku.conversion.base import Context, ConversionError

TEXT_FILTER = "Text (encoded)"
CSV_FILTER = "Text - txt - csv (StarCalc)"
CSV_UTF8 = 76  # LibreOffice's text-encoding number for UTF-8
BOOK_RENDERER = "wenku.conversion.ebooks.render"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


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
        raise ConversionError("corrupt", "no PDF was produced")
    with path.open("rb") as handle:
        if not handle.read(1024).lstrip().startswith(b"%PDF-"):
            raise ConversionError("corrupt", "no PDF was produced")
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


class BookConverter:
    """Reflowable books typeset by WeasyPrint in a child process (ebooks/render.py):
    timeout, memory cap, own process group; resources only from the book itself."""

    kind = ""
    ocr_pages = False  # the pipeline OCRs no page of a typeset book

    def to_pdf(self, ctx: Context, source: Path, workdir: Path) -> Path:
        target = workdir / "converted.pdf"
        fonts_conf = workdir / "fonts.conf"
        fonts_conf.write_text(
            fonts.fontconfig_xml(faces=fonts.prepare_faces(cache=ctx.font_cache)),
            encoding="utf-8",
        )
        request = {
            "kind": self.kind,
            "source": str(source),
            "target": str(target),
            "workdir": str(workdir),
            "max_pages": ctx.max_pages,
        }
        env = procs.clean_env(
            {
                "FONTCONFIG_FILE": str(fonts_conf),
                "HOME": str(workdir),
                "TMPDIR": str(workdir),
                "PYTHONPATH": str(PROJECT_ROOT),
            }
        )
        try:
            done = procs.run(
                [sys.executable, "-m", BOOK_RENDERER, json.dumps(request)],
                timeout=ctx.job_timeout,
                memory_bytes=ctx.memory_limit_bytes,
                env=env,
                cwd=workdir,
            )
        except procs.TimedOut as exc:
            raise ConversionError("timeout", "typesetting the book") from exc
        answer = _last_json_line(done.stdout)
        if done.returncode == 3 and "code" in answer:
            raise ConversionError(str(answer["code"]), str(answer.get("detail", "")))
        if done.returncode != 0:
            if b"MemoryError" in done.stderr:
                raise ConversionError("too_large", "the book needs too much memory")
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
            raise ConversionError("corrupt", (tail[0] if tail else "")[:200])
        return _checked_pdf(target)


def _last_json_line(stdout: bytes) -> dict[str, object]:
    for line in reversed(stdout.decode("utf-8", "replace").splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return {}


class EpubConverter(BookConverter):
    """EPUB 2 and 3."""

    kind = "epub"


class MobiConverter(BookConverter):
    """Kindle MOBI and AZW3 (KF8), unpacked by KindleUnpack (the `mobi` package)."""

    kind = "mobi"


class Fb2Converter(BookConverter):
    """FictionBook 2."""

    kind = "fb2"


class MarkdownConverter(BookConverter):
    """Markdown (CommonMark with tables), typeset like a one-chapter book."""

    kind = "markdown"
