"""One file in, an Artifact out: preflight → PDF → pages, text, cover, keywords.

No ORM and no settings here; the service passes a Context and a job folder.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from wenku.conversion import keywords, pdf, preflight, registry
from wenku.conversion.base import (
    Artifact,
    Context,
    PagesReady,
    Progress,
    TextKnown,
    document_text,
    no_pages,
    no_progress,
    no_text,
)


def run(
    ctx: Context,
    source: Path,
    file_type: str,
    workdir: Path,
    progress: Progress = no_progress,
    pages_ready: PagesReady = no_pages,
    text_known: TextKnown = no_text,
) -> Artifact:
    """Convert `source` (of real type `file_type`) inside `workdir`; `pages_ready`
    gets the pages as their images land, before the Artifact is complete, and
    `text_known` the text of a short document before its first page is rendered."""
    started = time.monotonic()
    converter = registry.converter_for(file_type)
    if not getattr(converter, "ocr_pages", True):
        # Typeset books carry their text; a cover or illustration is not a scan.
        ctx = replace(ctx, ocr=False)
    preflight.check(ctx, source, file_type)
    progress("converting", 0, 0)
    pdf_path = converter.to_pdf(ctx, source, workdir)
    converted = time.monotonic() - started
    pages_dir = workdir / "pages"
    pages_dir.mkdir(exist_ok=True)
    page_count, pages, cover, timings = pdf.render_pdf(
        ctx, pdf_path, pages_dir, progress, pages_ready, text_known
    )
    outline = pdf.outline(pdf_path, page_count)
    text = document_text((page.text for page in pages), ctx.max_text_chars)
    return Artifact(
        file_type=file_type,
        page_count=page_count,
        pages=tuple(pages),
        cover=cover,
        text=text,
        keywords=keywords.extract(text),
        outline=outline,
        timings=(
            ("to_pdf", converted),
            ("first_page", converted + timings.get("first_page", 0.0)),
            ("total", time.monotonic() - started),
        ),
    )
