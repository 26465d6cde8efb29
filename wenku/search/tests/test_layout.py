"""The search page's layout: one search box, the listings' page-count buckets, no
results page past the last, the whole width at 1280 px."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from wenku.core.listing import PAGE_RANGE_LABELS

pytestmark = pytest.mark.django_db


def test_one_search_box_keeps_the_filters(client, publish):
    publish("教育工作讲话", ["教育工作要坚持立德树人。"])
    html = client.get("/search", {"q": "教育", "format": "word"}).content.decode()
    assert html.count('type="search"') == 1
    assert html.count('name="q"') == 1
    assert '<input type="hidden" name="format" value="word">' in html


def test_page_count_buckets_are_the_listings(client, publish):
    short = publish("短讲话", ["讲话"] * 3)
    long = publish("长讲话", ["讲话"] * 60)
    html = client.get("/search", {"q": "讲话"}).content.decode()
    for key, label in PAGE_RANGE_LABELS.items():
        assert urlencode({"pages": key}) in html, key
        assert label in html, label
    assert "21-50" not in html and "50页以上" not in html
    middle = client.get("/search", {"q": "讲话", "pages": "21-100"}).content.decode()
    assert long.display_title in middle and short.display_title not in middle
    small = client.get("/search", {"q": "讲话", "pages": "1-5"}).content.decode()
    assert short.display_title in small and long.display_title not in small


def test_a_page_past_the_last_is_a_branded_404(client, publish):
    publish("教育工作讲话", ["教育工作要坚持立德树人。"])
    assert client.get("/search", {"q": "教育", "page": "1"}).status_code == 200
    for page in ("2", "999"):
        response = client.get("/search", {"q": "教育", "page": page})
        assert response.status_code == 404, page
        html = response.content.decode()
        assert "error-page" in html and "找到" not in html
        assert "这一页没有结果" in html  # and the way to the last page there is
        assert 'href="?q=%E6%95%99%E8%82%B2&amp;page=1" data-last-page' in html
        assert html.count('type="search"') == 1  # still one search box
    assert client.get("/search", {"q": "无此词", "page": "1"}).status_code == 200
    assert client.get("/search", {"q": "无此词", "page": "3"}).status_code == 404
    html = client.get("/search", {"q": "无此词", "page": "3"}).content.decode()
    assert "去最后一页（第 1 页）" in html


@pytest.mark.browser
def test_results_use_the_whole_width_at_1280(live_server, browser, publish):
    publish("教育工作讲话", ["教育工作要坚持立德树人。"])
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/search?q=教育")
    main = page.evaluate("document.querySelector('main').clientWidth")
    result = page.evaluate(
        "document.querySelector('.results').getBoundingClientRect().width"
    )
    padding = 2 * 14
    assert result == main - padding
    page.screenshot(path="/tmp/shots-community/search-1280.png")
    page.close()
