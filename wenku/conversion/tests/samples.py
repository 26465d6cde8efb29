"""Small real sample files the tests write themselves (no binary fixtures in git)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ZH_TITLE = "文库转换测试"
ZH_BODY = "踏进新征程，抢抓新机遇，坚定建设基础教育强区的思想定力。"
EN_BODY = "The quick brown fox jumps over the lazy dog."
NOTO_SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def docx(path: Path, paragraphs: list[str], *, east_asian_font: str = "") -> Path:
    from docx import Document
    from docx.oxml.ns import qn

    document = Document()
    for text in paragraphs:
        run = document.add_paragraph().add_run(text)
        if east_asian_font:
            run.font.name = east_asian_font
            run._element.get_or_add_rPr().get_or_add_rFonts().set(
                qn("w:eastAsia"), east_asian_font
            )
    document.save(path)
    return path


def docx_runs(path: Path, paragraphs: list[tuple[str, str]]) -> Path:
    """A docx with one paragraph per (text, East Asian font name or "")."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document()
    for text, font in paragraphs:
        run = document.add_paragraph().add_run(text)
        if font:
            run._element.get_or_add_rPr().get_or_add_rFonts().set(
                qn("w:eastAsia"), font
            )
    document.save(path)
    return path


def docx_pages(path: Path, pages: int) -> Path:
    """A docx with exactly `pages` pages (explicit page breaks)."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    document = Document()
    for number in range(1, pages + 1):
        paragraph = document.add_paragraph(f"Page {number} of the sample")
        if number < pages:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
    document.save(path)
    return path


def xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "销售"
    sheet.append(["地区", "销量", "Region"])
    sheet.append(["华东", 120, "East"])
    sheet.append(["华北", 95, "North"])
    workbook.save(path)
    return path


def pptx(path: Path, slides: int = 2) -> Path:
    from pptx import Presentation

    presentation = Presentation()
    for number in range(1, slides + 1):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = f"幻灯片 {number} Slide"
        slide.placeholders[1].text = f"要点 {number}: {EN_BODY}"
    presentation.save(path)
    return path


def text_pdf(path: Path, pages: int = 2) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    drawing = canvas.Canvas(str(path))
    for number in range(1, pages + 1):
        drawing.setFont("Helvetica", 14)
        drawing.drawString(72, 760, f"Text PDF page {number}")
        drawing.setFont("STSong-Light", 14)
        drawing.drawString(72, 730, ZH_TITLE)
        drawing.showPage()
    drawing.save()
    return path


def scanned_pdf(path: Path) -> Path:
    """An image-only PDF (no text layer): only OCR can read it."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1654, 2339), "white")  # A4 at 200 dpi
    draw = ImageDraw.Draw(image)
    chinese = ImageFont.truetype(NOTO_SANS, 72, index=2)  # the SC face
    latin = ImageFont.truetype(NOTO_SANS, 64, index=2)
    draw.text((150, 200), "扫描文档识别测试", font=chinese, fill="black")
    draw.text((150, 360), "Scanned document OCR", font=latin, fill="black")
    image.save(path, "PDF", resolution=200)
    return path


def big_page_pdf(path: Path, width_pt: float, height_pt: float) -> Path:
    from reportlab.pdfgen import canvas

    drawing = canvas.Canvas(str(path), pagesize=(width_pt, height_pt))
    drawing.setFont("Helvetica", 48)
    drawing.drawString(20, height_pt - 100, "Huge page")
    drawing.showPage()
    drawing.save()
    return path


def gbk_txt(path: Path) -> Path:
    path.write_bytes(f"{ZH_TITLE}\n{ZH_BODY}\n".encode("gbk"))
    return path


def utf16_txt(path: Path) -> Path:
    path.write_bytes(f"{ZH_TITLE}\n{EN_BODY}\n".encode("utf-16"))
    return path


def csv_gbk(path: Path) -> Path:
    path.write_bytes("地区,销量\n华东,120\n华北,95\n".encode("gbk"))
    return path


def renamed(source: Path, extension: str) -> Path:
    """The same bytes under another extension: Kingsoft WPS Office's .wps, .et and
    .dps are the Word, Excel and PowerPoint binary files (.doc/.xls/.ppt)."""
    return source.rename(source.with_suffix(f".{extension}"))


def encrypted_pdf(path: Path, source: Path) -> Path:
    import pikepdf

    with pikepdf.open(source) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    return path


def encrypted_docx(
    path: Path,
    source: Path,
    password: str = "secret",  # noqa: S107
) -> Path:
    """An encrypted OOXML file (any of docx, xlsx, pptx) of ``source``."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with source.open("rb") as plain, path.open("wb") as out:
        OOXMLFile(plain).encrypt(password, out)
    return path


def corrupt_pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog" + b"\x00garbage" * 200)
    return path


# --- raw OOXML, for hostile documents python-docx will not write -------------

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LINKED_IMAGE_DOCUMENT = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">
<w:body><w:p><w:r><w:t>Linked image below</w:t></w:r></w:p>
<w:p><w:r><w:drawing><wp:inline><wp:extent cx="1905000" cy="1905000"/>
<wp:docPr id="1" name="Picture 1"/>
<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">
<pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="linked.png"/><pic:cNvPicPr/></pic:nvPicPr>
<pic:blipFill><a:blip r:link="rIdImg"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>
<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1905000" cy="1905000"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>
</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>
<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> INCLUDEPICTURE "{{target}}" \\d </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> INCLUDETEXT "{{text_target}}" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
</w:body></w:document>"""
LINKED_IMAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="{target}" TargetMode="External"/>
</Relationships>"""


def raw_docx(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def linked_image_docx(path: Path, target: str, text_target: str = "") -> Path:
    """A docx whose picture (and INCLUDEPICTURE/INCLUDETEXT fields) point outside."""
    document = LINKED_IMAGE_DOCUMENT.replace("{target}", target).replace(
        "{text_target}", text_target or target
    )
    return raw_docx(
        path,
        {
            "word/document.xml": document,
            "word/_rels/document.xml.rels": LINKED_IMAGE_RELS.format(target=target),
        },
    )


def billion_laughs_docx(path: Path) -> Path:
    entities = "\n".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    )
    document = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [<!ENTITY lol0 "lol">
{entities}
]>
<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"""
    return raw_docx(path, {"word/document.xml": document})


def zip_bomb_docx(path: Path, inflated_bytes: int) -> Path:
    """A tiny docx that inflates to `inflated_bytes` (one padding part of zeros)."""
    document = (
        f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r>'
        "<w:t>bomb</w:t></w:r></w:p></w:body></w:document>"
    )
    raw_docx(path, {"word/document.xml": document})
    chunk = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/padding.bin", "w", force_zip64=True) as out,
    ):
        for _ in range(inflated_bytes // len(chunk)):
            out.write(chunk)
    return path


def png_bytes(color: str = "red") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), color).save(buffer, "PNG")
    return buffer.getvalue()


# --- an ODF text document whose Basic macro runs on open (if macros could run) -

MACRO_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0"
 xmlns:ooo="http://openoffice.org/2004/office"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:scripts>
  <office:script script:language="ooo:Basic">
   <ooo:libraries>
    <ooo:library-embedded ooo:name="Standard">
     <ooo:module ooo:name="Module1">
      <ooo:source-code>Sub Main
  Dim n As Integer
  n = FreeFile()
  Open "{marker}" For Output As #n
  Print #n, "macro ran"
  Close #n
End Sub
</ooo:source-code>
     </ooo:module>
    </ooo:library-embedded>
   </ooo:libraries>
  </office:script>
  <office:event-listeners>
   <script:event-listener script:language="ooo:script" script:event-name="dom:load"
    xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document"/>
   <script:event-listener script:language="ooo:script" script:event-name="office:print"
    xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document"/>
  </office:event-listeners>
 </office:scripts>
 <office:body><office:text><text:p>Document with an auto-run macro</text:p></office:text></office:body>
</office:document>
"""


def macro_fodt(path: Path, marker: Path) -> Path:
    path.write_text(MACRO_FODT.replace("{marker}", str(marker)), encoding="utf-8")
    return path


# --- flat ODF: a whole text document in one XML file ----------------------------

FLAT_ODT = """<?xml version="1.0" encoding="UTF-8"?>
{doctype}<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:automatic-styles>
  <style:style style:name="NewPage" style:family="paragraph">
   <style:paragraph-properties fo:break-before="page"/>
  </style:style>
 </office:automatic-styles>
 <office:body><office:text>
{paragraphs}
 </office:text></office:body>
</office:document>
"""


def fodt(path: Path, pages: list[list[str]]) -> Path:
    """A flat ODF text document (.fodt): one list of paragraphs per page."""
    paragraphs = []
    for number, page in enumerate(pages):
        for index, text in enumerate(page):
            style = ' text:style-name="NewPage"' if number and not index else ""
            paragraphs.append(f"  <text:p{style}>{escape(text)}</text:p>")
    return _write_fodt(path, "\n".join(paragraphs))


def commented_fodt(path: Path, text: str, comment: str) -> Path:
    """A flat ODF text with a reviewer's comment on its only paragraph (a view of
    it used to make a warm soffice abort: the comment widgets' UI file is missing
    from Debian's -nogui packages)."""
    paragraph = (
        f"  <text:p>{escape(text)}<office:annotation><dc:creator>审阅人</dc:creator>"
        f"<text:p>{escape(comment)}</text:p></office:annotation></text:p>"
    )
    return _write_fodt(path, paragraph)


def billion_laughs_fodt(path: Path) -> Path:
    entities = "\n".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    )
    doctype = f'<!DOCTYPE office:document [<!ENTITY lol0 "lol">\n{entities}\n]>\n'
    return _write_fodt(path, "  <text:p>&lol9;</text:p>", doctype=doctype)


def _write_fodt(path: Path, paragraphs: str, *, doctype: str = "") -> Path:
    xml = FLAT_ODT.replace("{doctype}", doctype).replace("{paragraphs}", paragraphs)
    path.write_text(xml, encoding="utf-8")
    return path
