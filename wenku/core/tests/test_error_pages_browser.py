"""Error pages in real Chromium: the way back works, and a missing page reached from
outside the site offers no back button (there is nothing to go back to)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
