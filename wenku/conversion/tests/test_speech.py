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

    # The speech's body is LibreOffice's "Preformatted Text" with Liberation Mono as
    # its Asian face: Latin stays in Liberation Mono (installed by bootstrap, so every
    # machine renders alike), and Han glyphs, which it lacks, fall back to the SC face.
    names = pdf_fonts(pdffonts, intermediate)
    assert_simplified_only(names)
    assert {name.split("-")[0] for name in names} == {"NotoSansCJKsc", "LiberationMono"}


def pdf_fonts(pdffonts: str, path: Path) -> list[str]:
    """Font names `pdffonts` lists for `path`, without subset prefixes (ABCDEF+)."""
    output = subprocess.run(
        [pdffonts, str(path)], capture_output=True, text=True, check=True
    ).stdout
    names = [line.split()[0] for line in output.splitlines()[2:] if line.strip()]
    return [name.split("+", 1)[-1] for name in names]


def assert_simplified_only(names: list[str]) -> None:
    cjk = [name for name in names if "CJK" in name]
    assert cjk, names
    assert all("CJKsc-" in name for name in cjk), names
    assert not [name for name in names if "jp" in name.lower()], names


def test_chinese_faces_embed_as_simplified_chinese(ctx, tmp_path: Path) -> None:
    """A docx naming 宋体, 黑体, 楷体 and no East Asian font at all: pdffonts shows
    Noto Serif CJK SC, Noto Sans CJK SC and AR PL UKai CN, never a JP face."""
    from wenku.conversion.tests import samples

    pdffonts = require_tool("pdffonts")
    path = samples.docx_runs(
        tmp_path / "faces.docx",
        [
            ("宋体：骨直角", "宋体"),
            ("黑体：骨直角", "黑体"),
            ("楷体：骨直角", "楷体"),
            ("没有指定字体：骨直角", ""),
        ],
    )
    workdir = tmp_path / "job"
    workdir.mkdir()
    artifact = pipeline.run(ctx, path, "docx", workdir)
    assert "骨直角" in artifact.text
    names = pdf_fonts(pdffonts, workdir / "converted.pdf")
    assert_simplified_only(names)
    assert {name.split("-")[0] for name in names if "CJK" in name} == {
        "NotoSerifCJKsc",  # 宋体
        "NotoSansCJKsc",  # 黑体, and the default for text naming no CJK face
    }
    assert "UKaiCN" in names  # 楷体; the collection's first face is the CN one


def test_demo_docx_embeds_simplified_chinese(ctx, tmp_path: Path) -> None:
    """The demo content's docx (宋体 runs, zh-CN) embeds Noto Serif CJK SC."""
    from wenku.core.demo_content import make_docx

    pdffonts = require_tool("pdffonts")
    path = tmp_path / "demo.docx"
    path.write_bytes(make_docx(["教育工作会议", "踏进新征程，抢抓新机遇。"]))
    workdir = tmp_path / "job"
    workdir.mkdir()
    pipeline.run(ctx, path, "docx", workdir)
    names = pdf_fonts(pdffonts, workdir / "converted.pdf")
    assert_simplified_only(names)
    assert any(name.startswith("NotoSerifCJKsc-") for name in names), names


def test_chinese_faces_map_to_simplified_chinese(ctx, tmp_path: Path) -> None:
    """宋体 and 黑体 render exactly like Noto Serif/Sans CJK SC.

    (soffice no longer sees the JP faces at all: a document asking for Noto Sans
    CJK JP gets the SC face too.)"""
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

    assert render("宋体") == render("Noto Serif CJK SC")
    assert render("黑体") == render("Noto Sans CJK SC") == render("Noto Sans CJK JP")
