"""The file-type registry: every record consistent, everything derived from it."""

from __future__ import annotations

import pytest

from wenku.conversion import registry
from wenku.conversion.base import ConversionError

# What the upload form offered before the registry; each must stay accepted.
ACCEPTED_BEFORE = (
    ".doc,.docx,.wps,.rtf,.odt,.txt,.xls,.xlsx,.et,.ods,.csv,.ppt,.pptx,.dps,.odp,.pdf"
)


def test_records_are_consistent() -> None:
    keys = [record.key for record in registry.FILE_TYPES]
    extensions = [e for record in registry.FILE_TYPES for e in record.extensions]
    assert len(set(keys)) == len(keys)
    assert len(set(extensions)) == len(extensions)  # no extension claims two types
    for record in registry.FILE_TYPES:
        assert record.extensions[0] == record.key
        assert record.group in registry.GROUP_BY_KEY
        assert record.signatures
        assert set(record.may_really_be) <= set(keys) - {record.key}
    assert all(registry.group_types(group.key) for group in registry.GROUPS)


def test_converter_dispatch() -> None:
    for record in registry.FILE_TYPES:
        assert type(registry.converter_for(record.key)) is record.converter
    with pytest.raises(ConversionError) as caught:
        registry.converter_for("exe")
    assert caught.value.code == "unsupported"


def test_extensions_and_accept_attribute() -> None:
    assert registry.for_extension("DOTX") is registry.BY_KEY["docx"]
    assert registry.for_extension("wpt") is registry.BY_KEY["wps"]
    assert registry.for_extension("exe") is None
    accept = registry.accept_attribute().split(",")
    assert set(ACCEPTED_BEFORE.split(",")) <= set(accept)
    assert accept == [f".{record.key}" for record in registry.FILE_TYPES]


def test_format_groups_take_group_keys_and_the_types_in_them() -> None:
    assert {"doc", "docx", "wps", "rtf", "odt"} <= set(registry.group_types("word"))
    assert {"xls", "xlsx", "et", "ods", "csv"} <= set(registry.group_types("excel"))
    assert {"ppt", "pptx", "dps", "odp"} <= set(registry.group_types("ppt"))
    assert registry.group_types("pdf") == ("pdf",)
    assert registry.group_types("txt") == ("txt", "md")
    assert registry.group_types("ebook") == ("epub", "mobi", "fb2")
    for value, group in [
        ("word", "word"),
        ("doc", "word"),
        ("DOCX", "word"),
        (" wps ", "word"),
        ("xlsx", "excel"),
        ("csv", "excel"),
        ("pptx", "ppt"),
        ("ppt", "ppt"),
        ("pdf", "pdf"),
        ("txt", "txt"),
        ("md", "txt"),
        ("azw3", "ebook"),
    ]:
        found = registry.group_for(value)
        assert found is not None and found.key == group, value
    assert registry.group_for("bogus") is None
    assert registry.group_for("") is None


def test_download_content_types() -> None:
    assert registry.mime_type("doc") == "application/msword"
    assert registry.mime_type("pdf") == "application/pdf"
    assert registry.mime_type("txt") == "text/plain"
    assert registry.mime_type("et") == "application/octet-stream"
    assert registry.mime_type("nonsense") == "application/octet-stream"
