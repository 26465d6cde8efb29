"""Error pages in real Chromium: the way back works, and a missing page reached from
outside the site offers no back button (there is nothing to go back to)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots-issue16")


def test_back_from_a_404_returns_to_the_page_before(live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(30_000)
    base = live_server.url
    page.goto(f"{base}/documents/999999/")  # opened directly: no page before it
    assert page.locator("[data-back-wrap]").is_hidden()
    page.goto(f"{base}/search?q=x")
    with page.expect_navigation() as navigation:  # followed from a page of the site
        page.evaluate("location.assign('/c/no-such-category/')")
    response = navigation.value
    assert response.status == 404
    assert page.locator("h1").inner_text() == "页面不存在"
    page.locator("[data-history-back]").click()
    page.wait_for_url(f"{base}/search?q=x")
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_missing_things_answer_branded_pages_in_chromium(
    live_server, browser, axe, make_user, make_document, width
):
    uploader = make_user()
    make_document(title="只有一页的列表", uploader=uploader)
    context = browser.new_context(
        viewport={"width": width, "height": 800}, locale="zh-CN", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    base = live_server.url
    cases = {
        "/documents/99999999/": "页面不存在",
        "/c/no-such-category/": "页面不存在",
        "/u/99999999/": "页面不存在",
        f"/u/{uploader.public_id}/?page=5": "这一页没有结果",
        "/?page=99": "这一页没有结果",
    }
    found = []
    for path, heading in cases.items():
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 404, path
        assert page.locator("h1").inner_text() == heading, path
        assert page.get_attribute("[data-error]", "data-error") == "404"
        assert page.locator("header.site-header").is_visible()
        assert page.locator("[data-home]").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        found += axe(page, path)
    last = page.locator("[data-last-page]")
    assert last.get_attribute("href") == "?sort=newest&page=1"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"404-{width}.png"))
    context.close()
    assert found == [], "\n".join(found)
