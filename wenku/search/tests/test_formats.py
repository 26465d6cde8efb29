"""Search's format filter and the listings' are the same groups, from one registry."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from wenku.conversion import registry
from wenku.core.listing import paginate_listing
from wenku.search import selectors

ANON = AnonymousUser()


def test_search_and_listing_select_the_same_group(publish):
    made = {
        file_type: publish(
            f"年度工作总结{file_type}", ["年度工作总结"], file_type=file_type
        )
        for file_type in ("doc", "docx", "wps", "rtf", "et", "csv", "pdf")
    }

    def numbers(*file_types: str) -> set[int]:
        return {made[file_type].number for file_type in file_types}

    expected = {
        "word": numbers("doc", "docx", "wps", "rtf"),
        "doc": numbers("doc", "docx", "wps", "rtf"),
        "docx": numbers("doc", "docx", "wps", "rtf"),
        "excel": numbers("et", "csv"),
        "xls": numbers("et", "csv"),
        "pdf": numbers("pdf"),
        "txt": set(),
    }
    for value, wanted in expected.items():
        listed = paginate_listing(None, QueryDict(f"format={value}"))["page"]
        found = selectors.search("年度工作总结", user=ANON, file_type=value).results
        assert {document.number for document in listed} == wanted, value
        assert {hit.document.number for hit in found} == wanted, value
    assert selectors.search("年度工作总结", user=ANON, file_type="bogus").total == 0


def test_search_page_offers_the_listing_groups(client, publish):
    publish("年度工作总结", ["年度工作总结"], file_type="wps")
    html = client.get(
        "/search", {"q": "年度工作总结", "format": "doc"}
    ).content.decode()
    listing = paginate_listing(None, QueryDict("format=doc"))
    assert [key for key, _, _ in listing["format_links"]] == [
        "",
        *(group.key for group in registry.GROUPS),
    ]
    assert listing["params"].fmt == "word"
    for group in registry.GROUPS:
        assert f"format={group.key}" in html
    assert 'class="on">Word</a>' in html  # "doc" is the Word group
    assert "找到 1 个相关文档" in html
