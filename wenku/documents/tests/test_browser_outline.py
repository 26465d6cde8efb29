"""The reader's 目录 in real Chromium: an EPUB the test writes is converted for real,
its table of contents listed on the document page, and each entry jumps to its
chapter's page (loading the pages before it), under the Content-Security-Policy."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from wenku.conversion.tests import book_samples
from wenku.core.tests.test_csp_browser import Watch
from wenku.documents import services

pytestmark = pytest.mark.browser


def _wait_at_top(page, number: int, deadline: float = 10) -> None:
    """Poll (the policy forbids the eval behind wait_for_function) until page
    `number`'s figure is scrolled to the top of the window, under the reader's
    sticky toolbar."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        top = page.locator(f"#page-{number}").evaluate(
            "(el) => el.getBoundingClientRect().top"
        )
        if 0 <= top < 120:
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"page {number} is at {top}px, not at the top")


@pytest.mark.django_db(transaction=True)
def test_outline_links_jump_to_their_chapter(
    live_server, browser, make_user, soffice, tmp_path: Path
) -> None:
    document = services.document_upload(
        uploader=make_user(),
        file_name="新征程.epub",
        path=book_samples.epub(tmp_path / "新征程.epub"),
        copyright_declared=True,
    )
    assert services.document_convert(document_id=document.pk) == "published"
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    watch = Watch(context, live_server.url)
    page = watch.page(context)
    page.goto(f"{live_server.url}/documents/{document.number}/")

    outline = page.locator("[data-outline]")
    assert outline.locator("h2").inner_text() == "目录"
    entries = outline.locator("li").evaluate_all(
        "(li) => li.map((x) => x.textContent.replace(/\\s+/g, ' ').trim())"
    )
    assert entries == [
        "第一章 新征程 2",
        "第一节 新机遇 2",
        "第二章 思想定力 3",
        "第三章 结语 4",
    ]
    assert outline.locator("a").evaluate_all(
        "(a) => a.map((x) => x.dataset.gotoPage)"
    ) == [
        "2",
        "2",
        "3",
        "4",
    ]
    assert page.locator("figure.page").count() == 1  # only page 1 is in the HTML

    outline.locator("a", has_text="第三章 结语").click()
    chapter = page.locator("#page-4")
    chapter.wait_for()
    _wait_at_top(page, 4)
    assert page.locator("#page-4 figcaption").inner_text() == "第4页 / 共4页"

    outline.locator("a", has_text="第二章 思想定力").click()
    _wait_at_top(page, 3)
    watch.assert_clean()
    context.close()
