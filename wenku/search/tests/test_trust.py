"""Suggestions only from queries several visitors made; in-document search with a
bearer token."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from wenku.search.models import SearchQuery, SearchQueryVisitor


@pytest.fixture
def paid(publish):
    return publish(
        "教育统计年鉴",
        ["公开页。", "统计口径说明。", "付费页：独家调研数据汇总。"],
        file_type="pdf",
        price=8,
        free_pages=2,
    )


def _suggested(prefix: str) -> list[str]:
    cache.clear()
    return Client().get("/api/search/suggest", {"q": prefix}).json()["suggestions"]


def _search_from(address: str, query: str) -> None:
    response = Client(REMOTE_ADDR=address).get("/search", {"q": query})
    assert response.status_code == 200


def test_suggestion_needs_three_distinct_visitors(settings, paid):
    assert settings.SUGGEST_MIN_VISITORS == 3
    # One visitor repeating a query is one visitor.
    for _ in range(10):
        _search_from("203.0.113.1", "独家调研")
    _search_from("203.0.113.2", "独家调研")
    assert "独家调研" not in _suggested("独家")
    row = SearchQuery.objects.get(text="独家调研")
    assert (row.count, row.visitors) == (11, 2)
    _search_from("203.0.113.3", "独家调研")
    assert _suggested("独家") == ["独家调研"]
    # Past the threshold no more visitors are kept; none is an address.
    _search_from("203.0.113.4", "独家调研")
    visitors = list(SearchQueryVisitor.objects.values_list("visitor", flat=True))
    assert len(visitors) == 3
    assert not any("203.0.113" in value for value in visitors)


def test_members_count_as_themselves(settings, paid, make_user):
    settings.SUGGEST_MIN_VISITORS = 2
    member = make_user("searcher")
    for address in ("203.0.113.5", "203.0.113.6"):
        client = Client(REMOTE_ADDR=address)
        client.force_login(member)
        client.get("/search", {"q": "统计口径"})
    assert SearchQuery.objects.get(text="统计口径").visitors == 1
    assert _suggested("统计口") == []
    _search_from("203.0.113.7", "统计口径")
    assert _suggested("统计口") == ["统计口径"]


def test_a_query_without_results_is_never_suggested(settings, paid):
    settings.SUGGEST_MIN_VISITORS = 1
    for index in range(5):
        _search_from(f"203.0.113.{index + 10}", "独家秘闻不存在")
    assert not SearchQuery.objects.filter(text="独家秘闻不存在").exists()
    assert _suggested("独家秘闻") == []


def test_a_suggestion_that_stops_finding_is_dropped(settings, paid):
    from wenku.search import public as search

    settings.SUGGEST_MIN_VISITORS = 1
    _search_from("203.0.113.20", "独家调研")
    assert _suggested("独家") == ["独家调研"]
    search.remove_document(paid)
    assert _suggested("独家") == []


def test_in_document_search_honours_a_bearer_token(paid, make_user):
    from wenku.accounts.services import api_token_create
    from wenku.wallet.services import purchase_create, wallet_grant

    buyer = make_user("buyer")
    wallet_grant(user=buyer, amount=8, reason="test")
    purchase_create(buyer=buyer, document=paid, idempotency_key="bearer-search")
    token = api_token_create(user=buyer)
    url = f"/api/documents/{paid.number}/search"
    anonymous = Client().get(url, {"q": "调研"}).json()
    assert anonymous["pages"] == [{"page": 3, "count": 1, "viewable": False}]
    bought = Client().get(
        url, {"q": "调研"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert bought.status_code == 200
    assert bought.json()["pages"] == [{"page": 3, "count": 1, "viewable": True}]
    refused = Client().get(
        url, {"q": "调研"}, headers={"Authorization": "Bearer not-a-token"}
    )
    assert refused.status_code == 401
    assert refused.json() == {"message": "Bearer 令牌无效 / Invalid token"}
