"""Which converter handles which real file type: one explicit tuple."""

from __future__ import annotations

from wenku.conversion.base import ConversionError, Converter
from wenku.conversion.converters import (
    CsvConverter,
    OfficeConverter,
    PdfConverter,
    TextConverter,
)

CONVERTERS: tuple[type[Converter], ...] = (
    OfficeConverter,
    TextConverter,
    CsvConverter,
    PdfConverter,
)


def converter_for(file_type: str) -> Converter:
    """A converter instance for `file_type`, or ConversionError('unsupported')."""
    for converter in CONVERTERS:
        if file_type in converter.file_types:
            return converter()
    raise ConversionError("unsupported", file_type)
