"""The whole story in real Chromium: a rights holder complains about a bought
document, a moderator takes it down from the queue, the buyer is refunded and told,
the uploader sees why, cannot upload the bytes again, answers with a counter-notice
and the document is back; the transparency page shows the case without personal data.
"""

from __future__ import annotations

import hashlib

import pytest

pytestmark = pytest.mark.browser

ORIGINAL = b"%PDF-1.4\n% the speech, as uploaded\n"


def _login(page, base: str, user) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", user.raw_password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_complaint_takedown_refund_counter_notice_restore(
    live_server, browser, make_user, make_document, fund_paid, tmp_path, screenshot_dir
):
    from wenku.moderation.models import Case
    from wenku.search import public as search
    from wenku.wallet.selectors import wallet_balance
    from wenku.wallet.services import purchase_create

    uploader = make_user("uploader", display_name="一叶知秋")
    buyer, moderator = make_user("buyer"), make_user("moderator", is_staff=True)
    document = make_document(
        title="副区长在教育工作会议上的讲话",
        uploader=uploader,
        price=20,
        original=ORIGINAL,
        file_type="pdf",
    )
    document.sha256 = hashlib.sha256(ORIGINAL).hexdigest()
    document.save(update_fields=["sha256"])
    search.index_document(document)
    fund_paid(buyer, 2)
    purchase_create(buyer=buyer, document=document, idempotency_key="story")
    assert wallet_balance(user=buyer) == 0
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.set_default_timeout(30_000)

    # 1. The rights holder files a complaint from the footer link.
    page.goto(base + document.get_absolute_url())
    page.click("footer a:has-text('侵权投诉')")
    page.fill("#id_documents", f"{base}{document.get_absolute_url()}")
    page.click("button:has-text('提交投诉')")
    assert "投诉不完整，缺少" in page.inner_text("main")
    page.fill("#id_name", "某某出版社")
    page.fill("#id_contact", "legal@publisher.example")
    page.fill("#id_address", "北京市海淀区某路 1 号")
    page.fill("#id_work", "《教育工作会议讲话汇编》")
    page.fill("#id_proof", "本社 2020 年出版，ISBN 978-7-000-00000-0")
    page.check("#id_good_faith")
    page.check("#id_accurate")
    page.fill("#id_signature", "张三")
    page.click("button:has-text('提交投诉')")
    assert "投诉已收到" in page.inner_text("main")
    case = Case.objects.get()

    # 2. The moderator takes it down from the queue.
    _login(page, base, moderator)
    page.click("header a:has-text('审核')")
    page.click(f"a:has-text('#{case.pk}')")
    assert "某某出版社" in page.inner_text("main")
    page.screenshot(path=str(screenshot_dir / "moderation-case.png"), full_page=True)
    page.select_option("#id_template", index=1)
    page.click("button[name=action][value=take_down]")
    assert f"案件 #{case.pk} 已处理，退款 1 笔" in page.inner_text("main")
    page.screenshot(path=str(screenshot_dir / "moderation-queue.png"), full_page=True)

    # 3. The public page says it was removed.
    page.context.clear_cookies()
    response = page.goto(base + document.get_absolute_url())
    assert response.status == 410
    assert "该文档已下架" in page.inner_text("main")
    page.screenshot(path=str(screenshot_dir / "document-removed.png"), full_page=True)

    # 4. The buyer's points are back and a notification says why.
    _login(page, base, buyer)
    assert page.inner_text("[data-unread-count]") == "1"
    page.click("header a[data-notifications]")
    assert f"《{document.title}》已下架，20 积分已退回" in page.inner_text("main")
    assert wallet_balance(user=buyer) == 20

    # 5. The uploader sees the reason, cannot upload the bytes again, answers.
    _login(page, base, uploader)
    page.goto(base + document.get_absolute_url())
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(
        path=str(screenshot_dir / "document-removed-uploader-375.png"), full_page=True
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    reason = page.inner_text("[data-takedown-reason]")
    assert reason.startswith("权利人投诉成立")
    sample = tmp_path / "again.pdf"
    sample.write_bytes(ORIGINAL)
    page.goto(f"{base}/upload/")
    page.set_input_files("input[type=file]", str(sample))
    page.check("#id_agree")
    page.click("button:has-text('开始上传')")
    page.wait_for_selector("text=不能再次上传")
    page.goto(base + document.get_absolute_url())
    page.click("a:has-text('提交反通知')")
    page.fill("#id_name", "李四")
    page.fill("#id_contact", "li@example.cn")
    page.fill("#id_address", "上海市某路 2 号")
    page.fill("#id_statement", "讲话稿为本人原创，附写作底稿。")
    page.fill("#id_signature", "李四")
    page.click("button:has-text('提交反通知')")
    page.wait_for_url(base + document.get_absolute_url())

    # 6. With a wait of 0 the document is public and searchable again.
    page.context.clear_cookies()
    response = page.goto(base + document.get_absolute_url())
    assert response.status == 200
    page.goto(f"{base}/search?q=教育工作会议")
    assert document.title in page.inner_text("main")

    # 7. The transparency page shows the case, without personal data.
    page.goto(f"{base}/transparency/")
    row = page.inner_text(f"tr[data-case='{case.pk}']")
    assert "已恢复" in row
    assert str(document.number) in row
    text = page.inner_text("main")
    for personal in ("某某出版社", "legal@publisher.example", "张三", "李四", "北京市"):
        assert personal not in text
    page.screenshot(path=str(screenshot_dir / "transparency.png"), full_page=True)
