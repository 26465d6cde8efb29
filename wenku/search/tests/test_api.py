"""The JSON API and the server-rendered search page."""

from __future__ import annotations

import pytest

from wenku.search.models import SearchClick


@pytest.fixture
def docs(publish):
    return {
        "plan": publish(
            "教育工作计划",
            ["第一页：学期教育工作目标。", "第二页：课后服务安排细则。"],
            description="学校教育工作计划范文",
            file_type="doc",
        ),
        "paid": publish(
            "教育统计年鉴",
            ["公开页。", "统计口径说明。", "付费页：独家调研数据汇总。"],
            file_type="pdf",
            price=8,
            free_pages=2,
        ),
    }


def test_api_search_shape(client, docs):
    response = client.get("/api/search", {"q": "教育工作"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    result = body["results"][0]
    assert result["number"] == docs["plan"].number
    assert result["title"] == "教育工作计划.doc"
    assert result["url"] == f"/documents/{docs['plan'].number}/"
    assert "<mark>" in result["snippet"]
    assert result["score"] > 0


def test_api_search_hides_paid_text(client, docs):
    body = client.get("/api/search", {"q": "独家调研"}).json()
    result = body["results"][0]
    assert result["snippet"] == "第3页有匹配"
    assert (result["matched_page"], result["page_locked"]) == (3, True)
    assert "数据汇总" not in response_text(client, "独家调研")


def response_text(client, query):
    return client.get("/search", {"q": query}).content.decode()


def test_api_search_filters_and_sort(client, docs):
    body = client.get("/api/search", {"q": "教育", "format": "pdf"}).json()
    assert [r["number"] for r in body["results"]] == [docs["paid"].number]
    assert client.get("/api/search", {"q": "教育", "sort": "bogus"}).status_code == 422
    assert client.get("/api/search", {"q": "教育", "page": 0}).status_code == 422


def test_api_search_pathological_queries(client, docs):
    for query in ['"', "*", "NEAR(", "\x00", "教" * 10_000, "' OR 1=1 --"]:
        response = client.get("/api/search", {"q": query})
        assert response.status_code == 200, query
        assert response.json()["total"] >= 0


def test_api_suggest(client, docs):
    body = client.get("/api/search/suggest", {"q": "教育统"}).json()
    assert body == {"suggestions": ["教育统计年鉴"]}


def test_api_in_document_search(client, docs):
    number = docs["paid"].number
    body = client.get(f"/api/documents/{number}/search", {"q": "统计口径"}).json()
    assert body == {
        "number": number,
        "pages": [{"page": 2, "count": 1, "viewable": True}],
    }
    body = client.get(f"/api/documents/{number}/search", {"q": "调研"}).json()
    assert body["pages"] == [{"page": 3, "count": 1, "viewable": False}]
    assert client.get("/api/documents/999/search", {"q": "x"}).status_code == 404


@pytest.mark.django_db  # the page cache reads its versions from the shared cache
def test_openapi_lists_search_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/search" in paths
    assert "/api/search/suggest" in paths
    assert "/api/documents/{number}/search" in paths


def test_search_page_renders_results_filters_and_pagination(client, publish, docs):
    for i in range(22):
        publish(f"教育随笔{i}", ["教育随笔内容"])
    response = client.get("/search", {"q": "教育随笔"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "找到 22 个相关文档" in html
    assert html.count('class="result"') == 20
    assert (
        "下一页" in html
        and "?q=%E6%95%99%E8%82%B2%E9%9A%8F%E7%AC%94&amp;page=2" in html
    )
    assert "sort=newest" in html and "format=pdf" in html and "price=free" in html
    page2 = client.get("/search", {"q": "教育随笔", "page": 2}).content.decode()
    assert page2.count('class="result"') == 2


def test_search_page_shows_locked_page_notice_and_escapes_query(client, docs):
    html = response_text(client, "独家调研")
    assert "第3页有匹配" in html
    html = response_text(client, "<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in html
    assert response_text(client, "") and "请输入" in response_text(client, "")


def test_click_through_logs_and_redirects(client, docs):
    plan = docs["plan"]
    response = client.get("/search/click", {"q": "教育工作", "doc": plan.number})
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{plan.number}/"
    assert SearchClick.objects.get().document == plan
    assert client.get("/search/click", {"q": "x", "doc": "nope"}).status_code == 302
