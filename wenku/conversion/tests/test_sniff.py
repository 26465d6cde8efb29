"""Real type by bytes against the allowlist; refusals carry a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from wenku.conversion.sniff import Rejected, sniff
from wenku.conversion.tests import samples


@pytest.fixture(autouse=True)
def _settings(settings):
    return settings


def test_docx_xlsx_pptx_pdf(tmp_path: Path) -> None:
    assert sniff(str(samples.docx(tmp_path / "a.docx", ["x"])), "a.docx") == "docx"
    assert sniff(str(samples.xlsx(tmp_path / "b.xlsx")), "b.xlsx") == "xlsx"
    assert sniff(str(samples.pptx(tmp_path / "c.pptx")), "c.pptx") == "pptx"
    assert sniff(str(samples.text_pdf(tmp_path / "d.pdf")), "d.pdf") == "pdf"


def test_text_encodings(tmp_path: Path) -> None:
    assert sniff(str(samples.gbk_txt(tmp_path / "a.txt")), "a.txt") == "txt"
    assert sniff(str(samples.utf16_txt(tmp_path / "b.txt")), "b.txt") == "txt"
    assert sniff(str(samples.csv_gbk(tmp_path / "c.csv")), "c.csv") == "csv"


def test_rtf_named_doc_is_accepted_as_rtf(tmp_path: Path) -> None:
    path = tmp_path / "letter.doc"
    path.write_bytes(b"{\\rtf1\\ansi Hello}")
    assert sniff(str(path), "letter.doc") == "rtf"


def test_pdf_named_docx_is_refused(tmp_path: Path) -> None:
    path = samples.text_pdf(tmp_path / "x.pdf")
    with pytest.raises(Rejected) as caught:
        sniff(str(path), "report.docx")
    assert caught.value.code == "mismatch"
    assert "扩展名 .docx" in caught.value.message


def test_zip_named_pdf_is_refused(tmp_path: Path) -> None:
    path = samples.docx(tmp_path / "x.docx", ["x"])
    with pytest.raises(Rejected) as caught:
        sniff(str(path), "paper.pdf")
    assert caught.value.code == "mismatch"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("page.html", b"<!DOCTYPE html><html></html>"),
        ("image.doc", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 100),
        ("markup.txt", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_unsupported(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(Rejected) as caught:
        sniff(str(path), name)
    assert caught.value.code in ("unsupported", "mismatch")
    assert caught.value.message


def test_zip_bomb_refused_fast(settings, tmp_path: Path) -> None:
    import time

    settings.CONVERSION = {**settings.CONVERSION, "MAX_UNZIPPED_BYTES": 20 * 2**20}
    bomb = samples.zip_bomb_docx(tmp_path / "bomb.docx", 64 * 2**20)
    assert bomb.stat().st_size < 200_000
    started = time.monotonic()
    with pytest.raises(Rejected) as caught:
        sniff(str(bomb), "bomb.docx")
    assert caught.value.code == "too_large"
    assert time.monotonic() - started < 1.0


def test_too_many_zip_entries(settings, tmp_path: Path) -> None:
    settings.CONVERSION = {**settings.CONVERSION, "MAX_ZIP_ENTRIES": 10}
    parts = {f"word/media/{n}.xml": "<a/>" for n in range(20)}
    path = samples.raw_docx(
        tmp_path / "many.docx", {"word/document.xml": "<w/>", **parts}
    )
    with pytest.raises(Rejected) as caught:
        sniff(str(path), "many.docx")
    assert caught.value.code == "too_large"


def test_billion_laughs_refused(tmp_path: Path) -> None:
    path = samples.billion_laughs_docx(tmp_path / "lol.docx")
    with pytest.raises(Rejected) as caught:
        sniff(str(path), "lol.docx")
    assert caught.value.code == "unsafe"


def test_flat_odt_is_read_with_defusedxml(tmp_path: Path) -> None:
    path = samples.fodt(tmp_path / "a.fodt", [["x"]])
    assert sniff(str(path), "a.fodt") == "fodt"
    with pytest.raises(Rejected) as caught:
        sniff(str(path), "a.odt")
    assert caught.value.code == "mismatch"
    lol = samples.billion_laughs_fodt(tmp_path / "lol.fodt")
    with pytest.raises(Rejected) as caught:
        sniff(str(lol), "lol.fodt")
    assert caught.value.code == "unsafe"
    with pytest.raises(Rejected) as caught:
        sniff(str(lol), "lol.txt")  # markup, and not flat ODF without its name
    assert caught.value.code == "unsupported"
    other = tmp_path / "other.fodt"
    other.write_text(
        '<?xml version="1.0"?><office:document xmlns:office='
        '"urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'
    )
    with pytest.raises(Rejected) as caught:
        sniff(str(other), "other.fodt")  # no office:mimetype
    assert caught.value.code == "unsupported"


def test_broken_compound_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(Rejected) as caught:
        sniff(str(path), "broken.doc")
    assert caught.value.code == "unsupported"
