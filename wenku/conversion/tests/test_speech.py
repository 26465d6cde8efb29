"""The reference upload, ../shared/seed/speech.doc (skipped when absent)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import require_tool, shared_file
from wenku.conversion import office, pdf, pipeline

pytestmark = pytest.mark.libreoffice


def test_speech_doc(ctx, tmp_path: Path) -> None:
    source = shared_file("seed/speech.doc")
    pdffonts = require_tool("pdffonts")
    artifact = pipeline.run(ctx, source, "doc", tmp_path)
    intermediate = tmp_path / "converted.pdf"

    # Page count is LibreOffice's own: a plain `soffice --convert-to pdf` agrees.
    naive_dir = tmp_path / "naive"
    naive_dir.mkdir()
    copy = Path(shutil.copy(source, naive_dir / "speech.doc"))
    naive = office.convert_with_soffice_cli(copy, naive_dir, timeout=60)
    assert artifact.page_count == pdf.page_count(naive) == pdf.page_count(intermediate)
    assert artifact.rendered_pages == artifact.page_count
    assert "踏进新征程" in artifact.text
    assert artifact.text.startswith("副区长在 2021 年教育工作会议上的讲话范文")

    fonts = subprocess.run(
        [pdffonts, str(intermediate)], capture_output=True, text=True, check=True
    ).stdout
    # Noto CJK collections share one CFF table named "...CJKjp..." for every face,
    # so pdffonts cannot tell SC from JP here; the glyph test below can.
    assert "CJK" in fonts


def test_chinese_faces_map_to_simplified_chinese(ctx, tmp_path: Path) -> None:
    """宋体 and 黑体 render exactly like Noto Serif/Sans CJK SC, not like JP."""
    from wenku.conversion.tests import samples

    glyphs = "骨直角"  # shapes that differ between the SC and JP faces

    def render(font: str) -> bytes:
        path = samples.docx(tmp_path / f"{font}.docx", [glyphs], east_asian_font=font)
        workdir = tmp_path / f"job-{font}"
        workdir.mkdir()
        artifact = pipeline.run(ctx, path, "docx", workdir)
        from PIL import Image

        with Image.open(artifact.pages[0].image) as image:
            return image.convert("L").crop((0, 0, 1000, 300)).tobytes()

    assert render("宋体") == render("Noto Serif CJK SC") != render("Noto Serif CJK JP")
    assert render("黑体") == render("Noto Sans CJK SC") != render("Noto Sans CJK JP")
