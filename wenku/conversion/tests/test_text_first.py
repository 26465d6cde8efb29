"""A short document's text reaches the service before its first page does, so its
duplicate checks run before anything is shown; a long one's does not wait."""

from __future__ import annotations

from pathlib import Path

import pytest

from wenku.conversion import pdf, pipeline
from wenku.conversion.base import Context
from wenku.conversion.tests import samples

pytestmark = pytest.mark.libreoffice


def _events(ctx: Context, source: Path, workdir: Path):
    events: list[tuple[str, object]] = []
    artifact = pipeline.run(
        ctx,
        source,
        "pdf",
        workdir,
        pages_ready=lambda count, pages: events.append(
            ("pages", [page.number for page in pages])
        ),
        text_known=lambda text: events.append(("text", text)),
    )
    return artifact, events


def test_short_document_text_comes_before_its_pages(ctx, tmp_path: Path) -> None:
    source = samples.text_pdf(tmp_path / "three.pdf", pages=3)
    artifact, events = _events(ctx, source, tmp_path)
    assert events[0] == ("text", artifact.text)
    assert artifact.text.startswith(f"Text PDF page 1\n{samples.ZH_TITLE}")
    assert [kind for kind, _ in events].count("text") == 1
    delivered = [n for kind, numbers in events if kind == "pages" for n in numbers]
    assert delivered == [1, 2, 3]


def test_long_document_pages_do_not_wait_for_its_text(ctx, tmp_path: Path) -> None:
    pages = pdf.TEXT_FIRST_MAX_PAGES + 1
    source = samples.text_pdf(tmp_path / "long.pdf", pages=pages)
    artifact, events = _events(ctx, source, tmp_path)
    assert artifact.page_count == pages
    assert all(kind == "pages" for kind, _ in events)


def test_scan_text_is_not_known_before_ocr(ctx, tmp_path: Path) -> None:
    from conftest import require_tool

    require_tool("tesseract")
    source = samples.scanned_pdf(tmp_path / "scan.pdf")
    artifact, events = _events(ctx, source, tmp_path)
    assert "文档识别测试" in artifact.text
    assert all(kind == "pages" for kind, _ in events)
