"""Following an uploader in real Chromium at 1280 and 375 px: 上传人 leads to the
profile, 关注 follows, and the uploader's next document is in 我的关注."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots-community")


@pytest.mark.parametrize("width", [1280, 375])
def test_follow_an_uploader_and_see_their_next_document(
    live_server, browser, make_user, make_document, width
):
    from wenku.community.models import Follow

    uploader = make_user("qiushui", display_name="秋水长天")
    reader = make_user()
    first = make_document(title="第一份讲义", uploader=uploader)
    context = browser.new_context(
        viewport={"width": width, "height": 860}, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", reader.username)
    page.fill("#id_password", reader.raw_password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}{first.get_absolute_url()}")
    page.click("[data-uploader]")
    page.wait_for_url(f"{base}/u/{uploader.public_id}/")
    assert page.inner_text("h1") == "秋***"
    assert page.inner_text("[data-count=documents]") == "1"
    assert page.inner_text("[data-count=followers]") == "0"
    page.click("[data-action=follow]")
    page.locator("text=已关注").first.wait_for()
    assert page.inner_text("[data-count=followers]") == "1"
    assert page.locator("[data-action=unfollow]").count() == 1
    assert Follow.objects.filter(follower=reader, uploader=uploader).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"profile-{width}.png"), full_page=True)

    make_document(title="关注之后的新讲义", uploader=uploader)
    page.goto(f"{base}/me/following/")
    titles = page.locator("[data-feed] .doc-title").all_inner_texts()
    assert titles == ["关注之后的新讲义.docx", "第一份讲义.docx"]
    page.screenshot(path=str(SHOTS / f"feed-{width}.png"), full_page=True)

    page.goto(f"{base}/u/{uploader.public_id}/")
    page.click("[data-action=unfollow]")
    page.locator("[data-action=follow]").wait_for()
    assert not Follow.objects.exists()
    context.close()
