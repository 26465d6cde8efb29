"""Hostile documents: no fetches, no local files, no macros, bounded work."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from wenku.conversion import pipeline
from wenku.conversion.base import Context, ConversionError
from wenku.conversion.tests import samples

pytestmark = pytest.mark.libreoffice


def _image_count(pdf_path: Path) -> int:
    with pikepdf.open(pdf_path) as pdf:
        return sum(len(page.get_images()) for page in pdf.pages)


def _run(ctx: Context, path: Path, file_type: str, tmp_path: Path) -> Path:
    workdir = tmp_path / f"job-{path.stem}"
    workdir.mkdir()
    pipeline.run(ctx, path, file_type, workdir)
    return workdir / "converted.pdf"


def test_remote_image_is_not_fetched(ctx, canary, tmp_path: Path) -> None:
    url, requests = canary
    path = samples.linked_image_docx(tmp_path / "remote.docx", f"{url}/canary.png")
    pdf = _run(ctx, path, "docx", tmp_path)
    assert requests == []
    assert _image_count(pdf) == 0


def test_local_files_are_not_embedded(ctx, tmp_path: Path) -> None:
    local = tmp_path / "local.png"
    local.write_bytes(samples.png_bytes("blue"))
    for name, target in (("png", local.as_uri()), ("passwd", "file:///etc/passwd")):
        path = samples.linked_image_docx(tmp_path / f"{name}.docx", target)
        pdf = _run(ctx, path, "docx", tmp_path)
        assert _image_count(pdf) == 0
        assert b"root:x:0:0" not in pdf.read_bytes()


def test_auto_run_macro_does_not_run(ctx, soffice, tmp_path: Path) -> None:
    from wenku.conversion.tests.conftest import lo_convert

    marker = tmp_path / "macro-ran.txt"
    odt = lo_convert(samples.macro_fodt(tmp_path / "macro.fodt", marker), "odt")
    pdf = _run(ctx, odt, "odt", tmp_path)
    assert pdf.exists()
    assert not marker.exists()


def test_auto_run_macro_in_flat_odt_does_not_run(ctx, soffice, tmp_path: Path) -> None:
    marker = tmp_path / "macro-ran.txt"
    fodt = samples.macro_fodt(tmp_path / "macro.fodt", marker)
    pdf = _run(ctx, fodt, "fodt", tmp_path)
    assert pdf.exists()
    assert not marker.exists()


def test_flat_odt_with_a_doctype_refused_before_libreoffice(tmp_path: Path) -> None:
    path = samples.billion_laughs_fodt(tmp_path / "lol.fodt")
    with pytest.raises(ConversionError) as caught:
        pipeline.run(Context(), path, "fodt", tmp_path)
    assert caught.value.code == "unsafe"


def test_zip_bomb_refused_before_libreoffice(tmp_path: Path) -> None:
    ctx = Context(max_unzipped_bytes=20 * 2**20)
    bomb = samples.zip_bomb_docx(tmp_path / "bomb.docx", 64 * 2**20)
    with pytest.raises(ConversionError) as caught:
        pipeline.run(ctx, bomb, "docx", tmp_path)
    assert caught.value.code == "too_large"


def test_billion_laughs_refused_before_libreoffice(tmp_path: Path) -> None:
    path = samples.billion_laughs_docx(tmp_path / "lol.docx")
    with pytest.raises(ConversionError) as caught:
        pipeline.run(Context(), path, "docx", tmp_path)
    assert caught.value.code == "unsafe"


@pytest.mark.parametrize(("width", "height"), [(14400, 14400), (200, 14400)])
def test_huge_page_render_is_capped(tmp_path: Path, width: int, height: int) -> None:
    ctx = Context(max_page_pixels=4_000_000, page_width=1000)
    path = samples.big_page_pdf(tmp_path / "huge.pdf", width, height)
    artifact = pipeline.run(ctx, path, "pdf", tmp_path)
    page = artifact.pages[0]
    assert page.width * page.height <= 4_000_000
    assert page.width <= 1000


def test_pages_beyond_render_limit_are_not_rendered(tmp_path: Path) -> None:
    path = samples.text_pdf(tmp_path / "five.pdf", 5)
    artifact = pipeline.run(Context(render_max_pages=2), path, "pdf", tmp_path)
    assert artifact.page_count == 5
    assert artifact.rendered_pages == 2
    assert [page.image is not None for page in artifact.pages] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert "Text PDF page 5" in artifact.text


def test_too_many_pages_fails(tmp_path: Path) -> None:
    path = samples.text_pdf(tmp_path / "five.pdf", 5)
    with pytest.raises(ConversionError) as caught:
        pipeline.run(Context(max_pages=3), path, "pdf", tmp_path)
    assert caught.value.code == "too_many_pages"
