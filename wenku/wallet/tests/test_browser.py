"""Recharge through the sandbox, buy, download in real Chromium (page-level flow)."""

from __future__ import annotations

import hashlib
import re
import urllib.parse

import pytest

from conftest import SHARED

pytestmark = pytest.mark.browser

TITLE = "副区长在2021年教育工作会议上的讲话范文"


def _original() -> bytes:
    seed = SHARED / "seed" / "speech.doc"
    if seed.exists():
        return seed.read_bytes()
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "讲话范文".encode() * 500


def _login(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", user.raw_password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("width", [1280, 375])
def test_recharge_buy_download_in_chromium(
    width,
    live_server,
    worker_process,
    browser,
    make_user,
    screenshot_dir,
    settings,
    sandbox_payments,
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from wenku.documents.models import Document, DocumentStatus
    from wenku.wallet.models import RechargeOrder, WalletRules
    from wenku.wallet.selectors import rules_get, wallet_balance

    WalletRules.objects.filter(pk=rules_get().pk).update(
        commission_percent=20, points_per_yuan=10
    )
    original = _original()
    uploader, buyer, stranger = make_user(), make_user(), make_user()
    name = default_storage.save("originals/test/speech.doc", ContentFile(original))
    document = Document.objects.create(
        number=13244393,
        title=TITLE,
        uploader=uploader,
        original=name,
        original_name=f"{TITLE}.doc",
        file_type="doc",
        sha256="0" * 64,
        size=len(original),
        price=5,
        status=DocumentStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    base = live_server.url
    context = browser.new_context(
        viewport={"width": width, "height": 800},
        locale="zh-CN",
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    _login(page, base, buyer)

    # the recharge form says what an amount buys; an order can be given up
    page.goto(f"{base}/me/wallet/")
    page.fill("#id_yuan", "3")
    assert page.inner_text("[data-points-for]") == "= 30 积分"
    page.wait_for_selector("[data-points-for][data-checked='3']")  # the server agrees
    assert page.inner_text("[data-points-for]") == "= 30 积分"
    page.fill("#id_yuan", "0")
    page.wait_for_selector("[data-points-for][data-checked='0']")
    assert page.inner_text("[data-points-for]") == (
        "充值金额须为 1–5000 元的整数 / Recharge 1–5000 yuan"
    )
    page.fill("#id_yuan", "3")
    page.click("button:has-text('去支付')")
    page.wait_for_url(re.compile(r".*/wallet/sandbox/pay/WK\w+/$"))
    assert page.inner_text("[data-order-points]") == "到账 30 积分"
    page.click("[data-cancel]")
    page.wait_for_url(re.compile(r".*/me/wallet/#recharge$"))
    page.locator("text=充值订单已取消").wait_for()
    assert list(RechargeOrder.objects.values_list("status", flat=True)) == ["cancelled"]

    # recharge 1 yuan through the sandbox provider: order → pay page → async notice
    page.goto(f"{base}/me/wallet/")
    page.screenshot(path=str(screenshot_dir / f"wallet-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.fill("#id_yuan", "1")
    page.click("button:has-text('去支付')")
    page.wait_for_url(re.compile(r".*/wallet/sandbox/pay/WK\w+/$"))
    page.click("button:has-text('确认支付')")
    page.wait_for_url(re.compile(r".*/me/wallet/recharge/WK\w+/$"))
    page.locator("text=充值成功，积分已到账").wait_for(timeout=60_000)
    assert page.locator("[data-balance]").inner_text() == "10"
    assert wallet_balance(user=buyer) == 10

    # buy on our own confirm page
    page.goto(f"{base}/documents/{document.number}/buy/")
    assert page.locator("[data-price]").inner_text() == "5"
    # buying starts the download: the bytes equal the original, under its title
    with page.expect_download() as info:
        page.click("button:has-text('确认购买')")
    page.locator("text=购买成功，已扣除 5 积分").wait_for()
    assert wallet_balance(user=buyer) == 5
    assert wallet_balance(user=uploader) == 4  # 5 minus 20% commission (1)
    download = info.value
    assert download.suggested_filename == f"{TITLE}.doc"
    with open(download.path(), "rb") as handle:
        got = handle.read()
    assert len(got) == len(original)
    assert hashlib.sha256(got).hexdigest() == hashlib.sha256(original).hexdigest()

    # a second download costs nothing
    with page.expect_download() as info:
        page.click("[data-download]")
    with open(info.value.path(), "rb") as handle:
        again = hashlib.sha256(handle.read()).hexdigest()
    assert again == hashlib.sha256(original).hexdigest()
    assert wallet_balance(user=buyer) == 5
    document.refresh_from_db()
    assert document.downloads == 2

    # the signed URL itself: tampered, used by another member, expired → refused
    redirect = page.request.get(
        f"{base}/documents/{document.number}/download/", max_redirects=0
    )
    signed = redirect.headers["location"]
    path = urllib.parse.urlsplit(signed).path
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = path.replace(
        token, token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")
    )
    response = page.request.get(f"{base}{tampered}")
    assert response.status == 403
    assert "下载链接无效" in response.text()

    other = browser.new_context(viewport={"width": 375, "height": 800})
    other_page = other.new_page()
    _login(other_page, base, stranger)
    response = other_page.request.get(f"{base}{path}")
    assert response.status == 403
    assert "此下载链接属于其他会员" in response.text()
    other.close()

    settings.WALLET_DOWNLOAD_LINK_TTL = -1
    response = page.request.get(f"{base}{path}")
    assert response.status == 403
    assert "下载链接已过期" in response.text()
    context.close()
