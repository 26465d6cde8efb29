"""The whole member journey in real Chromium: register, upload speech.doc, read, report, favorite."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import SHARED, require_tool
from wenku.core.demo_content import make_docx

pytestmark = pytest.mark.browser

TITLE = "副区长在2021年教育工作会议上的讲话范文"


def _sample(tmp_path):
    """speech.doc from ../shared, else a multi-page Chinese sample the test writes itself."""
    seed = SHARED / "seed" / "speech.doc"
    target = tmp_path / f"{TITLE}.doc"
    if seed.exists():
        shutil.copy(seed, target)
        return target, 2  # LibreOffice lays the speech out on 2 A4 pages
    paragraphs = [TITLE] + [
        f"第{i}段：踏进新征程，抢抓新机遇。" + "教育工作要坚持立德树人。" * 40
        for i in range(1, 30)
    ]
    target = tmp_path / f"{TITLE}.docx"
    target.write_bytes(make_docx(paragraphs))
    return target, None


@pytest.mark.parametrize(("width", "reader_width"), [(1280, 375), (375, 1280)])
def test_member_uploads_reads_reports_and_favorites(
    live_server,
    worker_process,
    browser,
    categories,
    tmp_path,
    screenshot_dir,
    width,
    reader_width,
):
    require_tool("soffice")
    from wenku.documents.models import Document
    from wenku.moderation.models import Report

    sample, expected_pages = _sample(tmp_path)
    page = browser.new_page(
        viewport={"width": width, "height": 900},
        locale="zh-CN",
        is_mobile=width < 600,
        has_touch=width < 600,
    )
    page.set_default_timeout(60_000)
    base = live_server.url

    page.goto(f"{base}/accounts/register/")
    page.fill("#id_username", "uploader1")
    page.fill("#id_display_name", "一叶知秋")
    page.fill("#id_password1", "Lan-tian-2024!")
    page.fill("#id_password2", "Lan-tian-2024!")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.click("button:has-text('退出')")
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "uploader1")
    page.fill("#id_password", "Lan-tian-2024!")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    assert page.locator("a:has-text('个人中心')").count() == 1

    page.goto(f"{base}/upload/")
    page.set_input_files("input[type=file]", str(sample))
    page.select_option("#id_category", label="应用文书 > 汇报体会")
    page.fill("#id_price", "3")
    page.fill("#id_free_pages", "1")
    page.check("#id_agree")
    page.click("button:has-text('开始上传')")
    # One file: once it publishes the uploader lands on its page, offered more.
    page.wait_for_url(re.compile(r".*/documents/\d+/#uploaded$"), timeout=120_000)
    note = page.locator("[data-uploaded-note]")
    assert note.is_visible()
    assert note.inner_text() == "上传成功，文档已发布。 继续上传"
    assert note.locator("a").get_attribute("href") == "/upload/"

    document = Document.objects.get(uploader__username="uploader1")
    assert document.status == "published"
    if expected_pages:
        assert document.page_count == expected_pages
    total = document.page_count
    display = document.display_title
    html = page.content()
    assert page.locator("h1.doc-h1").inner_text().endswith(display)
    assert "上传人:一***" in page.inner_text(".meta-row")
    for text in (
        f"文档编号:{document.number}",
        "上传时间:",
        f"格式:{document.file_type.upper()}",
        f"页数:{total}",
        "大小:",
    ):
        assert text in html, text
    for action in ("返回", "下载", "相关", "举报"):
        assert page.locator(f".doc-actions a:has-text('{action}')").count() == 1
    assert page.locator(f"img[alt='{display}_第1页']").count() == 1
    assert f"第1页 / 共{total}页" in page.inner_text(".pages")
    assert (
        f"免费预览 3 页 / 共 {total} 页" not in html
    )  # the uploader may read everything
    assert "资源描述" in html and f"《{display}》由会员分享" in html
    assert "1、" in page.inner_text("[data-chunks]")
    assert "相关资源" in html and "相关搜索" in html
    assert "当前位置" in html and "应用文书" in html and "汇报体会" in html
    assert "C TO C" in page.inner_text("footer")
    page.wait_for_function(
        "() => document.querySelector('img[alt$=\"_第1页\"]').naturalWidth > 0"
    )

    before = page.locator("figure.page").count()
    page.click("[data-more]")
    page.wait_for_function(
        f"() => document.querySelectorAll('figure.page').length > {before}"
    )
    assert f"第{before + 1}页 / 共{total}页" in page.inner_text(".pages")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(screenshot_dir / f"document-{width}.png"), full_page=False)

    page.click("[data-action=favorite]")
    page.wait_for_selector("text=已收藏")
    assert document.favorited_by.count() == 1

    # A reader who is not the uploader sees the free limit and files a report.
    reader = browser.new_page(
        viewport={"width": reader_width, "height": 812},
        locale="zh-CN",
        is_mobile=reader_width < 600,
    )
    reader.set_default_timeout(30_000)
    reader.goto(f"{base}/documents/{document.number}/")
    assert f"免费预览 1 页 / 共 {total} 页" in reader.content()
    assert f"还剩 {total - 1} 页未读" in reader.content()
    assert reader.locator("[data-more]").count() == 0
    reader.screenshot(
        path=str(screenshot_dir / f"document-reader-{reader_width}.png"),
        full_page=False,
    )
    scrolled = reader.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= reader_width, f"page scrolls sideways: {scrolled}"
    reader.click(".doc-actions a:has-text('举报')")
    reader.check("input[value=mismatch]")
    reader.fill("#id_description", "标题与内容不符")
    reader.click("button:has-text('提交举报')")
    reader.wait_for_selector("text=举报已提交")
    assert Report.objects.get(document=document).reason == "mismatch"
    reader.close()
    page.close()
