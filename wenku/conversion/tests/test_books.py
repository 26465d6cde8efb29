"""E-books typeset by WeasyPrint: golden conversions, DRM refused, nothing fetched."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import shared_file
from wenku.conversion import sniff
from wenku.conversion.base import ConversionError
from wenku.conversion.tests import book_samples, samples

BOOK_TEXT = f"第一章 新征程\n{samples.ZH_BODY}\n文库把每一本电子书变成页面图片和可以搜索的文字。"


def _outline(artifact) -> list[tuple[int, str, int]]:
    return [(entry.level, entry.title, entry.page) for entry in artifact.outline]


def _pdf_fonts(pdf: Path) -> str:
    return subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("version", ["3.0", "2.0"])
def test_epub(convert, tmp_path: Path, version: str) -> None:
    path = book_samples.epub(tmp_path / "book.epub", version=version)
    assert sniff.sniff(str(path), path.name) == "epub"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("epub", 4)
    assert artifact.pages[0].text == ""  # the cover, from the book's cover image
    assert artifact.pages[1].text.startswith(BOOK_TEXT)
    assert artifact.pages[3].text == "第三章 结语\n全书完。"
    assert _outline(artifact) == book_samples.BOOK_OUTLINE
    assert artifact.cover is not None and artifact.cover.exists()
    assert (artifact.pages[0].width, artifact.pages[0].height) == (1000, 1419)  # A5


def test_epub_chinese_is_set_in_sc_faces(convert, tmp_path: Path) -> None:
    path = book_samples.epub(tmp_path / "book.epub")
    convert(path)
    listed = _pdf_fonts(tmp_path / "job-book.epub" / "converted.pdf")
    faces = {line.split()[0].split("+", 1)[-1] for line in listed.splitlines()[2:]}
    assert faces == {
        "Noto-Serif-CJK-SC",
        "Noto-Serif-CJK-SC-Bold",
        "Noto-Sans-CJK-SC-Bold",
    }


def test_mobi(convert, tmp_path: Path) -> None:
    path = book_samples.mobi(tmp_path / "book.mobi")
    assert sniff.sniff(str(path), path.name) == "mobi"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("mobi", 1)
    assert artifact.text == (
        f"第一章 新征程\n{samples.ZH_BODY}\n第二章 思想定力\n坚定思想定力，办好人民满意的教育。"
    )
    # No NCX in this book: the outline is its headings.
    assert _outline(artifact) == [(0, "第一章 新征程", 1), (0, "第二章 思想定力", 1)]


def test_drm_epub_is_refused(convert, tmp_path: Path) -> None:
    with pytest.raises(ConversionError) as caught:
        convert(book_samples.drm_epub(tmp_path / "locked.epub"))
    assert caught.value.code == "drm"
    assert caught.value.reason.startswith("电子书受 DRM 版权保护，无法转换")
    assert "rights.xml" in caught.value.reason


def test_drm_mobi_is_refused(convert, tmp_path: Path) -> None:
    with pytest.raises(ConversionError) as caught:
        convert(book_samples.mobi(tmp_path / "locked.mobi", encrypted=True))
    assert caught.value.code == "drm"
    assert "Mobipocket" in caught.value.reason


def test_font_obfuscation_is_not_drm(convert, tmp_path: Path) -> None:
    path = book_samples.epub(
        tmp_path / "fonts.epub",
        extra_members={
            "META-INF/encryption.xml": book_samples.FONT_OBFUSCATION,
            "OEBPS/fonts/book.otf": b"\x00obfuscated",
        },
    )
    assert convert(path).page_count == 4


def test_epub_fetches_and_embeds_nothing(convert, canary, tmp_path: Path) -> None:
    import pikepdf

    url, requests = canary
    secret = tmp_path / "secret.png"
    secret.write_bytes(samples.png_bytes("blue"))
    path = book_samples.linking_epub(tmp_path / "links.epub", url, secret.as_uri())
    artifact = convert(path)
    assert requests == []
    assert artifact.pages[1].text.startswith(BOOK_TEXT)
    pdf = tmp_path / "job-links.epub" / "converted.pdf"
    with pikepdf.open(pdf) as document:
        images = {
            image.objgen
            for page in document.pages
            for image in page.get_images().values()
        }
    assert len(images) == 1  # the book's own cover, nothing else
    data = pdf.read_bytes()
    assert b"root:x:0:0" not in data


def test_corpus_epubs(convert) -> None:
    folder = shared_file("corpus/tika/epub")
    for path in sorted(folder.glob("*.epub")):
        artifact = convert(path)
        assert artifact.page_count >= 1, path.name
        assert artifact.text, path.name


def test_epub_declaring_entities_is_refused(convert, tmp_path: Path) -> None:
    lol = "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    )
    chapter = book_samples.chapter_xhtml(
        book_samples.BOOK[0], doctype=f'<!DOCTYPE html [<!ENTITY lol0 "lol">{lol}]>\n'
    ).replace("全书完", "&lol9;")
    with pytest.raises(ConversionError) as caught:
        convert(book_samples.epub(tmp_path / "lol.epub", chapters={1: chapter}))
    assert caught.value.code == "unsafe"


def test_fb2(convert, tmp_path: Path) -> None:
    path = book_samples.fb2(tmp_path / "book.fb2")
    assert sniff.sniff(str(path), path.name) == "fb2"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("fb2", 4)
    assert artifact.pages[0].text == ""  # the cover binary
    assert artifact.pages[1].text.startswith(BOOK_TEXT)
    assert _outline(artifact) == book_samples.BOOK_OUTLINE
