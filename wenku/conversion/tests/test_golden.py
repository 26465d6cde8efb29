"""Golden conversions: real LibreOffice on samples written here; exact expectations."""

from __future__ import annotations

from pathlib import Path

import pytest

from wenku.conversion import containers, sniff
from wenku.conversion.base import Artifact, ConversionError
from wenku.conversion.tests import format_samples, samples
from wenku.conversion.tests.conftest import lo_convert

pytestmark = pytest.mark.libreoffice


def test_docx(convert, tmp_path: Path) -> None:
    path = samples.docx(tmp_path / "plain.docx", ["Hello Wenku", samples.EN_BODY])
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count, artifact.rendered_pages) == (
        "docx",
        1,
        1,
    )
    assert artifact.text == f"Hello Wenku\n{samples.EN_BODY}"
    assert artifact.cover is not None and artifact.cover.exists()
    page = artifact.pages[0]
    assert (page.width, page.height) == (1000, 1295)  # US Letter


def test_page_count_follows_page_breaks(convert, tmp_path: Path) -> None:
    artifact = convert(samples.docx_pages(tmp_path / "three.docx", 3))
    assert artifact.page_count == 3
    assert [page.text for page in artifact.pages] == [
        "Page 1 of the sample",
        "Page 2 of the sample",
        "Page 3 of the sample",
    ]


def test_chinese_docx(convert, tmp_path: Path) -> None:
    path = samples.docx(
        tmp_path / "chinese.docx",
        [samples.ZH_TITLE, samples.ZH_BODY],
        east_asian_font="宋体",
    )
    artifact = convert(path)
    assert artifact.page_count == 1
    assert artifact.text == f"{samples.ZH_TITLE}\n{samples.ZH_BODY}"
    assert artifact.keywords[:3] == ("文库", "转换", "测试")


def test_doc_written_by_libreoffice(convert, soffice, tmp_path: Path) -> None:
    source = samples.docx(tmp_path / "word97.docx", [samples.ZH_TITLE, samples.EN_BODY])
    path = lo_convert(source, "doc")
    assert sniff.detect(path, "doc") == "doc"
    artifact = convert(path)
    assert artifact.page_count == 1
    assert artifact.text == f"{samples.ZH_TITLE}\n{samples.EN_BODY}"


def test_xlsx(convert, tmp_path: Path) -> None:
    artifact = convert(samples.xlsx(tmp_path / "sheet.xlsx"))
    assert (artifact.file_type, artifact.page_count) == ("xlsx", 1)
    assert artifact.text == "地区 销量 Region\n华东 120 East\n华北 95 North"


def test_pptx(convert, tmp_path: Path) -> None:
    artifact = convert(samples.pptx(tmp_path / "slides.pptx", 2))
    assert (artifact.file_type, artifact.page_count) == ("pptx", 2)
    assert artifact.pages[0].text.startswith("幻灯片 1 Slide")
    assert artifact.pages[1].text.startswith("幻灯片 2 Slide")
    assert artifact.pages[0].width == 1000 and artifact.pages[0].height == 750


def test_text_pdf(convert, tmp_path: Path) -> None:
    artifact = convert(samples.text_pdf(tmp_path / "text.pdf", 2))
    assert (artifact.file_type, artifact.page_count) == ("pdf", 2)
    assert artifact.pages[0].text == f"Text PDF page 1\n{samples.ZH_TITLE}"


def test_scanned_pdf_is_read_by_ocr(convert, tmp_path: Path) -> None:
    from conftest import require_tool

    require_tool("tesseract")
    artifact = convert(samples.scanned_pdf(tmp_path / "scan.pdf"))
    assert artifact.page_count == 1
    assert "文档识别测试" in artifact.text
    assert "Scanned document OCR" in artifact.text


def test_gbk_txt(convert, tmp_path: Path) -> None:
    path = samples.gbk_txt(tmp_path / "gbk.txt")
    assert sniff.detect(path, "txt") == "txt"
    artifact = convert(path)
    assert artifact.page_count == 1
    assert artifact.text == f"{samples.ZH_TITLE}\n{samples.ZH_BODY}"


def test_utf16_txt(convert, tmp_path: Path) -> None:
    artifact = convert(samples.utf16_txt(tmp_path / "utf16.txt"))
    assert artifact.text == f"{samples.ZH_TITLE}\n{samples.EN_BODY}"


def test_gbk_csv(convert, tmp_path: Path) -> None:
    artifact = convert(samples.csv_gbk(tmp_path / "table.csv"))
    assert (artifact.file_type, artifact.page_count) == ("csv", 1)
    assert artifact.text == "地区 销量\n华东 120\n华北 95"


def test_encrypted_pdf(convert, tmp_path: Path) -> None:
    plain = samples.text_pdf(tmp_path / "plain.pdf", 1)
    with pytest.raises(ConversionError) as caught:
        convert(samples.encrypted_pdf(tmp_path / "locked.pdf", plain))
    assert caught.value.code == "encrypted"
    assert caught.value.reason.startswith("文件已加密，请去除密码后重新上传 / ")


def test_encrypted_docx(convert, tmp_path: Path) -> None:
    plain = samples.docx(tmp_path / "plain.docx", ["secret"])
    locked = samples.encrypted_docx(tmp_path / "locked.docx", plain)
    assert sniff.detect(locked, "docx") == "docx"
    with pytest.raises(ConversionError) as caught:
        convert(locked)
    assert caught.value.code == "encrypted"


def test_a_workbook_encrypted_with_excels_default_password_converts(
    convert, tmp_path: Path
) -> None:
    # Excel writes a workbook protected against changes encrypted with its default
    # password and opens it without asking: no password to remove.
    plain = samples.xlsx(tmp_path / "plain.xlsx")
    locked = samples.encrypted_docx(
        tmp_path / "protected.xlsx", plain, containers.EXCEL_DEFAULT_PASSWORD
    )
    assert containers.ole_streams(locked) >= {"EncryptionInfo", "EncryptedPackage"}
    artifact = convert(locked)
    assert (artifact.file_type, artifact.page_count) == ("xlsx", 1)
    assert artifact.text == "地区 销量 Region\n华东 120 East\n华北 95 North"
    # Another password is still one to remove.
    other = samples.encrypted_docx(tmp_path / "locked.xlsx", plain, "VelvetSweatshop2")
    with pytest.raises(ConversionError) as caught:
        convert(other)
    assert caught.value.code == "encrypted"


def test_corrupt_pdf(convert, tmp_path: Path) -> None:
    with pytest.raises(ConversionError) as caught:
        convert(samples.corrupt_pdf(tmp_path / "broken.pdf"))
    assert caught.value.code == "corrupt"
    assert caught.value.reason.startswith("文件已损坏或无法读取")


# --- the other accepted types: LibreOffice writes the samples; Kingsoft's WPS/ET/DPS
# are the Microsoft binary files it writes, under WPS Office's extensions.

WORD_TEXT = f"{samples.ZH_TITLE}\n{samples.EN_BODY}"
SHEET_TEXT = "地区 销量 Region\n华东 120 East\n华北 95 North"


def _word(tmp_path: Path) -> Path:
    return samples.docx(tmp_path / "word.docx", [samples.ZH_TITLE, samples.EN_BODY])


def _check_slides(artifact: Artifact) -> None:
    assert artifact.pages[0].text.startswith("幻灯片 1 Slide\n• 要点 1: The quick")
    assert artifact.pages[1].text.startswith("幻灯片 2 Slide\n• 要点 2: The quick")


def test_rtf_written_by_libreoffice(convert, soffice, tmp_path: Path) -> None:
    path = lo_convert(_word(tmp_path), "rtf")
    assert sniff.sniff(str(path), path.name) == "rtf"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("rtf", 1)
    assert artifact.text == WORD_TEXT


def test_odt_written_by_libreoffice(convert, soffice, tmp_path: Path) -> None:
    path = lo_convert(_word(tmp_path), "odt")
    assert sniff.sniff(str(path), path.name) == "odt"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("odt", 1)
    assert artifact.text == WORD_TEXT


def test_wps_is_a_word_binary_file(convert, soffice, tmp_path: Path) -> None:
    path = samples.renamed(lo_convert(_word(tmp_path), "doc"), "wps")
    assert sniff.sniff(str(path), path.name) == "wps"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("wps", 1)
    assert artifact.text == WORD_TEXT


def test_microsoft_works_wps(convert, soffice) -> None:
    from conftest import shared_file

    path = shared_file("corpus/tika/wps/testWORKS.wps")
    assert sniff.sniff(str(path), path.name) == "wps"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("wps", 1)
    assert artifact.text.startswith(
        "This is an example document made with Microsoft Works Word Processor 7.0"
    )


def test_xls_written_by_libreoffice(convert, soffice, tmp_path: Path) -> None:
    path = lo_convert(samples.xlsx(tmp_path / "sheet.xlsx"), "xls")
    assert sniff.sniff(str(path), path.name) == "xls"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("xls", 1)
    assert artifact.text == SHEET_TEXT


def test_et_is_an_excel_binary_file(convert, soffice, tmp_path: Path) -> None:
    xls = lo_convert(samples.xlsx(tmp_path / "sheet.xlsx"), "xls")
    path = samples.renamed(xls, "et")
    assert sniff.sniff(str(path), path.name) == "et"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("et", 1)
    assert artifact.text == SHEET_TEXT


def test_ods_written_by_libreoffice(convert, soffice, tmp_path: Path) -> None:
    path = lo_convert(samples.xlsx(tmp_path / "sheet.xlsx"), "ods")
    assert sniff.sniff(str(path), path.name) == "ods"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("ods", 1)
    assert artifact.text == SHEET_TEXT


def test_ppt_written_by_libreoffice(convert, soffice, tmp_path: Path) -> None:
    path = lo_convert(samples.pptx(tmp_path / "slides.pptx", 2), "ppt")
    assert sniff.sniff(str(path), path.name) == "ppt"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("ppt", 2)
    _check_slides(artifact)


def test_dps_is_a_powerpoint_binary_file(convert, soffice, tmp_path: Path) -> None:
    ppt = lo_convert(samples.pptx(tmp_path / "slides.pptx", 2), "ppt")
    path = samples.renamed(ppt, "dps")
    assert sniff.sniff(str(path), path.name) == "dps"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("dps", 2)
    _check_slides(artifact)


def test_odp_written_by_libreoffice(convert, soffice, tmp_path: Path) -> None:
    path = lo_convert(samples.pptx(tmp_path / "slides.pptx", 2), "odp")
    assert sniff.sniff(str(path), path.name) == "odp"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("odp", 2)
    _check_slides(artifact)


def test_fodt(convert, tmp_path: Path) -> None:
    pages = [[samples.ZH_TITLE, samples.ZH_BODY], [samples.EN_BODY]]
    path = samples.fodt(tmp_path / "flat.fodt", pages)
    assert sniff.sniff(str(path), path.name) == "fodt"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("fodt", 2)
    assert [page.text for page in artifact.pages] == [
        f"{samples.ZH_TITLE}\n{samples.ZH_BODY}",
        samples.EN_BODY,
    ]


# --- the last formats: flat ODF spreadsheets and presentations, Word 2003 XML,
# WordPerfect, Excel 4, Markdown; and a damaged container says damaged.


def test_fods_written_by_libreoffice(convert, soffice, tmp_path: Path) -> None:
    path = lo_convert(samples.xlsx(tmp_path / "sheet.xlsx"), "fods")
    assert sniff.sniff(str(path), path.name) == "fods"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("fods", 1)
    assert artifact.text == SHEET_TEXT


def test_fodp_written_by_libreoffice(convert, soffice, tmp_path: Path) -> None:
    path = lo_convert(samples.pptx(tmp_path / "slides.pptx", 2), "fodp")
    assert sniff.sniff(str(path), path.name) == "fodp"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("fodp", 2)
    _check_slides(artifact)


@pytest.mark.parametrize("name", ["word2003.xml", "word2003.doc"])
def test_word_2003_xml(convert, tmp_path: Path, name: str) -> None:
    paragraphs = [samples.ZH_TITLE, samples.ZH_BODY, samples.EN_BODY]
    path = format_samples.wordml(tmp_path / name, paragraphs)
    assert sniff.sniff(str(path), path.name) == "xml"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("xml", 1)
    assert artifact.text == "\n".join(paragraphs)


def test_wordperfect(convert, tmp_path: Path) -> None:
    path = format_samples.wordperfect(
        tmp_path / "letter.wpd", ["Hello WordPerfect", samples.EN_BODY]
    )
    assert sniff.sniff(str(path), path.name) == "wpd"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("wpd", 1)
    assert artifact.text == f"Hello WordPerfect\n{samples.EN_BODY}"


def test_excel_4_worksheet(convert, tmp_path: Path) -> None:
    rows: list[list[str | float]] = [["地区", "销量"], ["华东", 120.0], ["华北", 95.0]]
    path = format_samples.biff4(tmp_path / "excel4.xls", rows)
    assert sniff.sniff(str(path), path.name) == "xls"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("xls", 1)
    assert artifact.text == "地区 销量\n华东 120\n华北 95"


def test_markdown(convert, canary, tmp_path: Path) -> None:
    url, requests = canary
    text = format_samples.MARKDOWN.replace("http://127.0.0.1:9", url)
    path = format_samples.markdown(tmp_path / "notes.md", text)
    assert sniff.sniff(str(path), path.name) == "md"
    artifact = convert(path)
    assert (artifact.file_type, artifact.page_count) == ("md", 1)
    assert artifact.text.startswith(
        f"{samples.ZH_TITLE}\n{samples.ZH_BODY}\n第二节 表格\n地区 销量\n华东 120"
    )
    assert [(e.level, e.title, e.page) for e in artifact.outline] == [
        (0, samples.ZH_TITLE, 1),
        (1, "第二节 表格", 1),
    ]
    assert requests == []


def test_truncated_docx_is_damaged(tmp_path: Path, settings) -> None:
    whole = samples.docx(tmp_path / "whole.docx", [samples.EN_BODY]).read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(sniff.Rejected) as caught:
        sniff.sniff(str(path), path.name)
    assert caught.value.code == "corrupt"
    assert caught.value.message.startswith("文件已损坏")
