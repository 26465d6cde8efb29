"""Samples of the older and plainer formats, written byte by byte from their specs:
Word 2003 XML (WordprocessingML), Excel 4 worksheets (BIFF4), WordPerfect 5,
Markdown. (Flat ODF spreadsheets and presentations LibreOffice writes itself.)"""

from __future__ import annotations

import struct
from pathlib import Path
from xml.sax.saxutils import escape

from wenku.conversion.tests.samples import EN_BODY, ZH_BODY, ZH_TITLE

WORDML = "http://schemas.microsoft.com/office/word/2003/wordml"


def wordml(path: Path, paragraphs: list[str]) -> Path:
    """A Word 2003 XML document (WordprocessingML), its Chinese runs in 宋体."""
    body = "".join(
        '<w:p><w:r><w:rPr><w:rFonts w:hint="eastAsia" w:fareast="宋体"/></w:rPr>'
        f"<w:t>{escape(text)}</w:t></w:r></w:p>"
        for text in paragraphs
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<?mso-application progid="Word.Document"?>\n'
        f'<w:wordDocument xmlns:w="{WORDML}"><w:body>{body}'
        "</w:body></w:wordDocument>\n",
        encoding="utf-8",
    )
    return path


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def biff4(path: Path, rows: list[list[str | float]]) -> Path:
    """An Excel 4.0 worksheet (BIFF4): BOF, CODEPAGE, DIMENSIONS, LABEL/NUMBER
    cells, EOF. Labels are 8-bit strings in code page 936 (GBK)."""
    cells = []
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            if isinstance(value, str):
                text = value.encode("gbk")
                cells.append(
                    _record(
                        0x0204,
                        struct.pack("<HHHH", row, column, 0x0F, len(text)) + text,
                    )
                )
            else:
                cells.append(
                    _record(0x0203, struct.pack("<HHHd", row, column, 0x0F, value))
                )
    width = max(len(values) for values in rows)
    data = (
        _record(0x0409, struct.pack("<HHH", 0, 0x0010, 0))  # BOF: worksheet
        + _record(0x0042, struct.pack("<H", 936))  # CODEPAGE: GBK
        + _record(0x0000, struct.pack("<HHHH", 0, len(rows), 0, width))
        + b"".join(cells)
        + _record(0x000A, b"")  # EOF
    )
    path.write_bytes(data)
    return path


def wordperfect(path: Path, paragraphs: list[str]) -> Path:
    """A WordPerfect 5.1 document: the 16-byte prefix (\\xffWPC, document offset,
    product 1, type 10, version 0.1), then text with hard returns (0x0A)."""
    text = b"\x0a".join(p.encode("ascii") for p in paragraphs) + b"\x0a"
    header = b"\xffWPC" + struct.pack("<I", 16) + bytes([1, 10, 0, 1]) + bytes(4)
    path.write_bytes(header + text)
    return path


MARKDOWN = f"""# {ZH_TITLE}

{ZH_BODY}

## 第二节 表格

| 地区 | 销量 |
|---|---|
| 华东 | 120 |

Some `code` and **bold** text: {EN_BODY}

![remote](http://127.0.0.1:9/x.png)
"""


def markdown(path: Path, text: str = MARKDOWN) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
