"""The site's pages pass axe-core's WCAG 2.0/2.1 A and AA rules in real Chromium, at
1280 and 375 px: for a visitor, for a buyer of the document, and for an uploader."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SPEECH = [
    "各位代表、同志们：今天我们召开全区教育工作会议，总结2020年教育工作，部署2021年任务。"
    "一年来，全区教育系统坚持立德树人，推进教育优质均衡发展。",
    "二、推进课程改革。全区中小学全面落实新课程方案，教研部门深入课堂听课评课，"
    "教育教学质量稳步提升。",
    "三、加强校园安全。建立校长每日巡校制度，完善应急预案，开展安全教育进课堂活动。",
    "四、建设教师队伍。实施名师工程，组织教师培训，提升教师专业水平和教育能力。",
]


def _login(page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", user.raw_password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def _site(categories, make_user, make_document):
    """An uploader with documents in a category, one of them priced and bought."""
    from wenku.community.services import comment_create
    from wenku.documents.models import Document
    from wenku.search import public as search
    from wenku.wallet.services import purchase_create, wallet_grant

    category = categories.get(slug="jianghua-zhici")
    uploader = make_user("yiye", display_name="一叶知秋")
    buyer = make_user("buyer", display_name="读者甲")
    priced = make_document(
        title="副区长在2021年教育工作会议上的讲话范文",
        pages=SPEECH,
        uploader=uploader,
        price=5,
        free_pages=1,
        category=category,
        file_type="doc",
    )
    for n in range(1, 6):
        make_document(
            title=f"教育工作会议讲话稿第{n}篇",
            pages=SPEECH,
            uploader=uploader,
            category=category,
        )
    Document.objects.filter(uploader=uploader).update(tags="教育,讲话")
    Document.objects.filter(pk=priced.pk).update(
        outline=[
            [0, "一、回顾", 1],
            [1, "二、推进课程改革", 2],
            [0, "四、建设教师队伍", 4],
        ],
        description="全区教育工作会议上的讲话。",
        rating_sum=9,
        rating_count=2,
    )
    for document in Document.objects.filter(uploader=uploader):
        search.index_document(document, refresh_related=False)
    wallet_grant(user=buyer, amount=20, reason="测试")
    purchase_create(buyer=buyer, document=priced, idempotency_key="axe-1")
    # The comments section with a thread: a comment and the uploader's reply.
    question = comment_create(author=buyer, document=priced, body="第三部分有全文吗？")
    comment_create(
        author=uploader,
        document=priced,
        body="有的，购买后可读。",
        parent_id=question.pk,
    )
    return category, uploader, buyer, priced


def _wait(page) -> None:
    page.wait_for_load_state("load")
    # Lazy page images and scripts that fill the page settle first.
    page.wait_for_timeout(200)


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (375, 812)])
def test_pages_have_no_wcag_violations(
    live_server,
    browser,
    axe,
    categories,
    make_user,
    make_document,
    settings,
    width,
    height,
):
    settings.WALLET_PAYMENT_PROVIDER = "sandbox"
    category, uploader, buyer, priced = _site(categories, make_user, make_document)
    base = live_server.url
    document_url = priced.get_absolute_url()
    visitor_pages = [
        "/",
        category.get_absolute_url(),
        document_url,
        "/search?q=教育",
        "/accounts/login/",
        "/accounts/register/",
        f"/u/{uploader.public_id}/",
        "/tags/教育/",
    ]
    member_pages = [
        document_url,
        f"/comments/{priced.comments.first().pk}/report/",
        f"/documents/{priced.number}/buy/",
        "/upload/",
        "/me/",
        "/me/favorites/",
        "/me/following/",
        "/me/wallet/",
        "/me/wallet/recharge/",
        "/me/wallet/orders/",
        "/me/wallet/earnings/",
        "/me/wallet/withdraw/",
        "/notifications/",
        "/accounts/profile/",
    ]
    found: list[str] = []
    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=width < 600,
        has_touch=width < 600,
        locale="zh-CN",
        bypass_csp=True,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    for path in visitor_pages:
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, path
        _wait(page)
        found += axe(page, f"visitor {path}")
    # The reader zoomed to 200 % and in full screen.
    page.goto(f"{base}{document_url}")
    for _ in range(4):
        page.click("[data-zoom='1']")
    assert page.inner_text("[data-zoom-level]") == "200%"
    found += axe(page, f"visitor {document_url} zoomed to 200 %")
    page.click("[data-fullscreen]")
    page.wait_for_function(
        "() => document.querySelector('[data-reader]').classList.contains('is-full')"
    )
    found += axe(page, f"visitor {document_url} in full screen")
    _login(page, base, buyer)
    for path in member_pages:
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, path
        _wait(page)
        found += axe(page, f"buyer {path}")
    context.close()
    assert found == [], f"axe-core at {width} px:\n" + "\n".join(found)
