"""Plain text and CSV: decide the encoding (UTF-8, GBK/GB18030, UTF-16…), give UTF-8."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

from charset_normalizer import from_bytes

SAMPLE = 64 * 1024
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
HTML_STARTS = (b"<!doctype html", b"<html", b"<?xml", b"<svg")


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text without a BOM shows NUL in every other byte of ASCII runs."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    return None


def _mostly_han(text: str) -> bool:
    wide = [ch for ch in text if ord(ch) > 0x7F]
    han = sum(
        1 for ch in wide if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"
    )
    return bool(wide) and han >= len(wide) * 0.8


def detect_encoding(data: bytes) -> str | None:
    """The encoding of `data` (a text sample), or None when it is not text."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3:  # the sample cut a character in half
            return "utf-8"
    try:
        if _mostly_han(data.decode("gb18030")):
            return "gb18030"  # a superset of GBK and GB2312
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    return best.encoding if best is not None else None


def looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE)
    if not sample.strip():
        return False
    if sample.lstrip()[:20].lower().startswith(HTML_STARTS):
        return False  # markup is not plain text and is not on the allowlist
    return detect_encoding(sample) is not None


def read_text(path: Path, max_bytes: int) -> str:
    """The whole file decoded (at most `max_bytes`), with newlines normalised."""
    with path.open("rb") as handle:
        data = handle.read(max_bytes)
    encoding = detect_encoding(data[:SAMPLE]) or "utf-8"
    text = data.decode(encoding, errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def csv_separator(text: str) -> str:
    """The field separator of a CSV sample; a comma when unsure."""
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","
