"""The reader in real Chromium at 1280 and 375 px: zoom that leaves no part of a page
out of reach, fit to width on phones, full screen, keyboard and swipe paging, and the
reading position restored for a member."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots-community")

# Where every corner of the first page sits, seen through the pages box: the point
# (inset a few pixels) must show the page image itself, not something beside it.
CORNER = """([cx, cy]) => {
  const box = document.querySelector('[data-pages]').getBoundingClientRect();
  const img = document.querySelector('#page-1 img').getBoundingClientRect();
  const x = cx ? img.right - 3 : img.left + 3;
  const y = cy ? img.bottom - 3 : img.top + 3;
  const inside = x >= box.left && x <= box.right && y >= Math.max(box.top, 0)
    && y <= Math.min(box.bottom, window.innerHeight);
  const hit = document.elementFromPoint(x, y);
  return inside && hit !== null && hit.closest('#page-1') !== null;
}"""


def _with_big_pages(document) -> None:
    """Page images as wide as real renders (1000 px) with a mark in each corner."""
    for row in document.pages.all():
        image = Image.new("RGB", (1000, 1414), (255, 255, 255))
        draw = ImageDraw.Draw(image)
        for x, y in ((0, 0), (960, 0), (0, 1374), (960, 1374)):
            draw.rectangle((x, y, x + 40, y + 40), fill=(200, 30, 30))
        buffer = io.BytesIO()
        image.save(buffer, "WEBP")
        default_storage.delete(row.image.name)
        row.image = default_storage.save(row.image.name, ContentFile(buffer.getvalue()))
        row.width, row.height = 1000, 1414
        row.save(update_fields=["image", "width", "height"])


def _open(browser, width: int, height: int, *, mobile: bool):
    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=mobile,
        has_touch=mobile,
        locale="zh-CN",
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def _login(page, base, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", user.raw_password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def _scroll_to(page, *, left: bool, top: bool) -> None:
    page.evaluate(
        """([left, top]) => {
          const box = document.querySelector('[data-pages]');
          box.scrollLeft = left ? 0 : box.scrollWidth;
          const fig = document.querySelector('#page-1');
          const r = fig.getBoundingClientRect();
          const bar = document.querySelector('.reader-bar').offsetHeight;
          window.scrollTo(0, window.scrollY + (top ? r.top - bar - 10
            : r.bottom - window.innerHeight + 10));
        }""",
        [left, top],
    )


@pytest.mark.parametrize(
    ("width", "height", "mobile"), [(1280, 900, False), (375, 812, True)]
)
def test_zoom_200_keeps_every_corner_reachable(
    live_server, browser, make_document, width, height, mobile, screenshot_dir
):
    document = make_document(title="缩放测试", pages=["一", "二", "三"], free_pages=3)
    _with_big_pages(document)
    context, page = _open(browser, width, height, mobile=mobile)
    page.goto(f"{live_server.url}/documents/{document.number}/")
    page.wait_for_function(
        "() => document.querySelector('#page-1 img').naturalWidth > 0"
    )
    box_width = page.evaluate("document.querySelector('[data-pages]').clientWidth")
    page_width = page.evaluate("document.querySelector('#page-1').offsetWidth")
    if mobile:
        # Fit to width on a phone: the page takes the whole screen.
        assert box_width == 375
        assert page_width == 375
        # The toolbar is one row, scrolled sideways, not three rows of the screen.
        assert page.evaluate("document.querySelector('.reader-bar').offsetHeight") <= 56
        page.screenshot(path=str(screenshot_dir / "reader-375.png"))
    else:
        assert page_width == 820
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    for _ in range(4):  # 100 → 125 → 150 → 175 → 200 %
        page.click("[data-zoom='1']")
    assert page.inner_text("[data-zoom-level]") == "200%"
    zoomed = page.evaluate("document.querySelector('#page-1').offsetWidth")
    assert zoomed == 2 * page_width
    scroll_range = page.evaluate(
        "(() => { const b = document.querySelector('[data-pages]');"
        " return b.scrollWidth - b.clientWidth; })()"
    )
    # Every pixel of the page can be brought into the box: the sideways scroll range
    # is exactly what the page is wider than the box.
    assert scroll_range == zoomed - box_width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(parents=True, exist_ok=True)
    for left in (True, False):
        for top in (True, False):
            _scroll_to(page, left=left, top=top)
            assert page.evaluate(CORNER, [not left, not top]), (left, top)
            name = f"reader-200-{width}-{'left' if left else 'right'}-{'top' if top else 'bottom'}.png"
            page.screenshot(path=str(SHOTS / name))
    context.close()


@pytest.mark.parametrize(
    ("width", "height", "mobile"), [(1280, 900, False), (375, 812, True)]
)
def test_full_screen_paging_and_position_restored(
    live_server, browser, make_user, make_document, width, height, mobile
):
    from wenku.community.models import ReadingPosition

    member = make_user()
    document = make_document(
        title="续读测试", pages=[f"第{i}页" for i in range(1, 7)], free_pages=6
    )
    _with_big_pages(document)
    context, page = _open(browser, width, height, mobile=mobile)
    _login(page, live_server.url, member)
    url = f"{live_server.url}/documents/{document.number}/"
    page.goto(url)
    page.wait_for_function("() => document.querySelector('#page-1 img')")

    # Full screen: the reader covers the whole window.
    page.click("[data-fullscreen]")
    page.wait_for_function(
        "() => document.querySelector('[data-reader]').classList.contains('is-full')"
    )
    rect = page.evaluate(
        "(() => { const r = document.querySelector('[data-reader]')"
        ".getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()"
    )
    assert rect == [0, 0, width, height]
    assert page.get_attribute("[data-fullscreen]", "aria-pressed") == "true"

    # Paging: keyboard on the desktop, a swipe on the phone.
    for _ in range(3):
        if mobile:
            page.evaluate(
                """() => {
                  const box = document.querySelector('[data-pages]');
                  const t = (x) => new Touch({identifier: 1, target: box,
                    clientX: x, clientY: 300});
                  box.dispatchEvent(new TouchEvent('touchstart',
                    {touches: [t(300)], changedTouches: [t(300)]}));
                  box.dispatchEvent(new TouchEvent('touchend',
                    {touches: [], changedTouches: [t(100)]}));
                }"""
            )
        else:
            page.keyboard.press("PageDown")
        page.wait_for_timeout(600)  # the smooth scroll settles
    page.wait_for_function(
        "() => document.querySelector('[data-page-label]').textContent === '4 / 6'"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"reader-fullscreen-{width}.png"))
    page.keyboard.press("Escape")
    page.wait_for_function(
        "() => !document.querySelector('[data-reader]').classList.contains('is-full')"
    )

    with page.expect_response(
        lambda r: r.url.endswith("/position.json") and r.request.method == "POST"
    ):
        page.evaluate("window.dispatchEvent(new Event('scroll'))")
    assert ReadingPosition.objects.get(user=member, document=document).page == 4

    # Coming back: the reader opens where the member left off.
    page.goto(url)
    page.wait_for_function(
        "() => document.querySelector('article.doc').dataset.restored === '4'"
    )
    page.wait_for_function(
        "() => document.querySelector('[data-page-label]').textContent === '4 / 6'"
    )
    assert page.inner_text("[data-resume-note]") == "已回到上次读到的第 4 页"
    page.screenshot(path=str(SHOTS / f"reader-restored-{width}.png"))
    context.close()


def test_the_reader_works_from_the_keyboard_and_reads_pages_aloud(
    live_server, browser, make_document
):
    document = make_document(
        title="键盘测试",
        pages=["第一页的文字：教育工作会议。", "第二页", "第三页"],
        free_pages=3,
    )
    _with_big_pages(document)
    context, page = _open(browser, 1280, 900, mobile=False)
    page.goto(f"{live_server.url}/documents/{document.number}/")
    page.wait_for_function(
        "() => document.querySelector('#page-1 img').naturalWidth > 0"
    )
    focused = "() => document.activeElement.matches(%r)"

    # The toolbar is reached with Tab and worked with Enter.
    page.locator("[data-prev]").focus()
    for _ in range(3):
        page.keyboard.press("Tab")
    page.wait_for_function(focused % "[data-zoom='1']")
    for _ in range(4):
        page.keyboard.press("Enter")
    assert page.inner_text("[data-zoom-level]") == "200%"
    # Zoomed, the arrows pan the page from the toolbar too.
    left = "document.querySelector('[data-pages]').scrollLeft"
    start = page.evaluate(left)
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => {left} === {start + 80}")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"() => {left} === {start}")
    # The pages box takes the focus itself, named, and says which keys work.
    box = page.locator("[data-pages]")
    assert box.get_attribute("tabindex") == "0"
    assert box.get_attribute("aria-label") == "文档页面"
    assert page.inner_text("#reader-keys").startswith("键盘：PageDown / PageUp")
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => {left} > {start}")
    page.keyboard.press("0")  # fit to width: the page is exactly as wide as the box
    assert page.evaluate(
        "document.querySelector('#page-1').offsetWidth"
        " === document.querySelector('[data-pages]').clientWidth"
    )

    # F opens full screen with the focus inside the reader; Esc gives it back to
    # the full-screen button.
    page.locator("body").focus()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("f")
    page.wait_for_function(
        "() => document.querySelector('[data-reader]').classList.contains('is-full')"
    )
    assert page.evaluate(
        "document.querySelector('[data-reader]').contains(document.activeElement)"
    )
    page.keyboard.press("Escape")
    page.wait_for_function(focused % "[data-fullscreen]")

    # Assistive technology gets each readable page's text with its image.
    snapshot = page.locator("#page-1").aria_snapshot()
    assert '- img "键盘测试.docx_第1页"' in snapshot
    assert "第一页的文字：教育工作会议。" in snapshot
    context.close()
