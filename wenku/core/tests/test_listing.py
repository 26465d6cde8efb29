"""Listings stay cheap at any size: one bounded count, never the whole table."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wenku.core import listing

pytestmark = pytest.mark.django_db


def test_home_and_category_listings_count_a_bounded_number_of_rows(
    client, make_document, categories, monkeypatch
):
    monkeypatch.setattr(listing, "PER_PAGE", 2)
    monkeypatch.setattr(listing, "MAX_PAGES", 3)
    leaf = categories.filter(parent__isnull=False).first()
    for n in range(9):
        make_document(title=f"列表文档{n}", category=leaf)
    path = leaf.parent.get_absolute_url()
    for url, query in (("/", {"sort": "newest"}), (path, {"sort": "downloads"})):
        with CaptureQueriesContext(connection) as context:
            body = client.get(url, query).content.decode()
        counts = [
            q["sql"]
            for q in context.captured_queries
            if "COUNT(" in q["sql"] and "documents_document" in q["sql"]
        ]
        assert len(counts) == 1 and "LIMIT 7" in counts[0]  # 3 pages of 2, and one
        assert "第 1 / 3+ 页" in body
    past = client.get(path, {"page": "99"})  # past the last page: a 404 leading there
    assert past.status_code == 404
    assert 'href="?sort=newest&amp;page=3" data-last-page' in past.content.decode()
    last = client.get(path, {"page": "3"}).content.decode()
    assert "第 3 / 3+ 页" in last
    assert "列表文档4" in last and "列表文档3" in last  # rows 5 and 6, newest first
    assert "列表文档2" not in last and "列表文档5" not in last
    monkeypatch.setattr(listing, "MAX_PAGES", 10)
    body = client.get(path, {"sort": "views"}).content.decode()
    assert "第 1 / 5 页" in body  # nine documents, all counted
