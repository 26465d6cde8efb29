"""In English, the pages of readers and uploaders carry no Chinese of the site's own:
every Han character left is user or site content (titles, names, tags)."""

from __future__ import annotations

import re

import pytest

from wenku.core.models import SiteSettings
from wenku.wallet.models import DownloadRecord

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
TAGS = re.compile(r"<[^>]+>")


def _han_outside(html: str, allowed: set[str]) -> set[str]:
    body = html.split("<body>", 1)[1]
    body = body.replace('value="zh-hans">中文<', "")  # the switch names its language
    text = TAGS.sub(" ", body)
    return {run for run in HAN.findall(text) if run not in allowed}


def test_reader_and_uploader_pages_in_english(client, make_user, make_document):
    SiteSettings.objects.create(
        site_name="Wenku", tagline="Share what you know", footer_notice="C to C."
    )
    uploader = make_user("yiye", display_name="Leaf")
    member = make_user("reader", display_name="Reader")
    text = [f"Page {n} of the speech." for n in range(1, 5)]
    document = make_document(
        title="Speech", uploader=uploader, free_pages=2, pages=text
    )
    document.tags = "education,speech"
    document.rating_sum, document.rating_count = 9, 2
    document.save(update_fields=["tags", "rating_sum", "rating_count"])
    priced = make_document(title="Paid notes", uploader=uploader, price=5, pages=text)
    DownloadRecord.objects.create(user=member, document=document, day="2026-01-01")
    client.force_login(member)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    pages = [
        document.get_absolute_url(),
        priced.get_absolute_url(),
        f"/documents/{priced.number}/buy/",
        f"/u/{uploader.public_id}/",
        "/me/following/",
        "/tags/education/",
        "/me/wallet/",
        "/me/wallet/orders/",
        "/search?q=Speech",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert _han_outside(response.content.decode(), set()) == set(), path
    html = client.get(document.get_absolute_url()).content.decode()
    assert "<span data-rating>4.5 / 5 · 2 ratings</span>" in html
    assert "“Speech.docx” was shared by a member" in html
    assert "Go to page" in html and "Fit width" in html and "Full screen" in html


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_english_document_page_screenshot(live_server, browser, make_document, width):
    SiteSettings.objects.create(site_name="Wenku", tagline="Share", footer_notice="C.")
    text = [f"Page {n} of the speech." for n in range(1, 5)]
    document = make_document(title="Speech", pages=text, price=3)
    document.tags = "education,speech"
    document.save(update_fields=["tags"])
    context = browser.new_context(viewport={"width": width, "height": 1100})
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.click("button[value=en]")
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}{document.get_absolute_url()}")
    assert page.locator("[data-fit]").inner_text() == "Fit width"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"/tmp/shots-community/document-en-{width}.png")
    context.close()
