"""Journeys that finish: a recharge can be cancelled, buying starts the download,
every free download is in the member's history."""

from __future__ import annotations

import pytest

from wenku.accounts.services import api_token_create
from wenku.wallet import selectors
from wenku.wallet.models import (
    AuditLog,
    DownloadKind,
    DownloadRecord,
    RechargeStatus,
    WalletRules,
)
from wenku.wallet.payments.sandbox import notice_build
from wenku.wallet.selectors import rules_get, wallet_balance
from wenku.wallet.services import (
    WalletError,
    purchase_create,
    recharge_order_cancel,
    recharge_order_create,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sandbox_payments")]


def test_cancel_a_pending_order_writes_an_audit_row(client, make_user):
    WalletRules.objects.filter(pk=rules_get().pk).update(points_per_yuan=10)
    member = make_user()
    order = recharge_order_create(user=member, yuan=3, provider="sandbox")
    client.force_login(member)
    pay = client.get(f"/wallet/sandbox/pay/{order.out_trade_no}/").content.decode()
    assert "到账 30 积分" in pay
    response = client.post(
        f"/me/wallet/recharge/{order.out_trade_no}/cancel/", follow=True
    )
    assert "充值订单已取消 / The recharge order is cancelled" in (
        response.content.decode()
    )
    order.refresh_from_db()
    assert order.status == RechargeStatus.CANCELLED
    audit = AuditLog.objects.get(action="recharge_cancel")
    assert (audit.actor_id, audit.details["points"]) == (member.pk, 30)
    # Cancelling again changes nothing and writes no second row.
    recharge_order_cancel(user=member, out_trade_no=order.out_trade_no)
    assert AuditLog.objects.filter(action="recharge_cancel").count() == 1


def test_payment_arriving_after_cancel_is_still_credited(client, make_user, ledger_ok):
    member = make_user()
    order = recharge_order_create(user=member, yuan=1, provider="sandbox")
    recharge_order_cancel(user=member, out_trade_no=order.out_trade_no)
    fields = notice_build(out_trade_no=order.out_trade_no, amount_fen=order.amount_fen)
    assert client.post("/wallet/notify/sandbox/", fields).content == b"success"
    order.refresh_from_db()
    assert order.status == RechargeStatus.PAID
    assert wallet_balance(user=member) == order.points
    ledger_ok()


def test_paid_or_someone_elses_order_cannot_be_cancelled(client, make_user):
    member, other = make_user(), make_user()
    order = recharge_order_create(user=member, yuan=1, provider="sandbox")
    with pytest.raises(WalletError, match="充值订单不存在 / No such recharge order"):
        recharge_order_cancel(user=other, out_trade_no=order.out_trade_no)
    fields = notice_build(out_trade_no=order.out_trade_no, amount_fen=order.amount_fen)
    client.post("/wallet/notify/sandbox/", fields)
    with pytest.raises(WalletError, match="该订单已到账，不能取消"):
        recharge_order_cancel(user=member, out_trade_no=order.out_trade_no)
    assert not AuditLog.objects.filter(action="recharge_cancel").exists()


def test_buying_lands_on_a_page_that_starts_the_download(
    client, make_user, priced_document, fund
):
    buyer = make_user()
    fund(buyer, 20)
    document = priced_document(price=5)
    client.force_login(buyer)
    response = client.post(
        f"/documents/{document.number}/buy/",
        {"idempotency_key": "k-1", "expected_price": "5"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{document.number}/buy/?bought=1"
    html = client.get(response["Location"]).content.decode()
    assert "data-autostart" in html and "wallet/wallet.js" in html
    # Without a purchase, ?bought=1 starts nothing.
    other = make_user()
    client.force_login(other)
    html = client.get(f"/documents/{document.number}/buy/?bought=1").content.decode()
    assert "data-autostart" not in html


def test_free_downloads_are_in_the_history(client, make_user, make_document):
    member = make_user()
    document = make_document(title="免费的讲义")
    client.force_login(member)
    assert "还没有下载过文档。" in client.get("/me/wallet/orders/").content.decode()
    assert client.get(f"/documents/{document.number}/download/").status_code == 302
    html = client.get("/me/wallet/orders/").content.decode()
    assert "免费的讲义.docx" in html
    assert '<tr data-download-kind="free">' in html
    assert f'href="/documents/{document.number}/download/"' in html


def test_every_download_free_or_paid_is_in_the_history(
    client, make_user, make_document, priced_document, fund
):
    member = make_user()
    fund(member, 20)
    free = make_document(title="免费的讲义")
    bought = priced_document(price=5)
    own = make_document(title="我自己的", uploader=member, price=8)
    client.force_login(member)
    client.post(
        f"/documents/{bought.number}/buy/",
        {"idempotency_key": "k-h", "expected_price": "5"},
    )
    for document in (free, bought, own, bought):  # again the same day: one line
        response = client.get(f"/documents/{document.number}/download/")
        assert response.status_code == 302
    history = selectors.member_downloads(user=member)
    assert [(d.document_id, d.kind) for d in history] == [
        (own.pk, DownloadKind.OWN),
        (bought.pk, DownloadKind.BOUGHT),
        (free.pk, DownloadKind.FREE),
    ]
    html = client.get("/me/wallet/orders/").content.decode()
    for kind, label in (
        ("free", "免费下载"),
        ("bought", "已购买"),
        ("own", "本人上传"),
    ):
        assert f'<tr data-download-kind="{kind}">' in html
        assert f"<td>{label}</td>" in html
    # Only free downloads count against the daily free limit.
    assert selectors.download_allowed_free(member, None)
    WalletRules.objects.filter(pk=rules_get().pk).update(free_downloads_per_member=1)
    assert not selectors.download_allowed_free(member, None)


def test_the_api_download_writes_the_history_too(
    client, make_user, priced_document, fund
):
    member = make_user()
    fund(member, 5)
    document = priced_document(price=5)
    purchase_create(buyer=member, document=document, idempotency_key="k-api")
    token = api_token_create(user=member)
    response = client.get(
        f"/api/documents/{document.number}/download",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 302
    assert list(DownloadRecord.objects.values_list("kind", flat=True)) == ["bought"]


def test_the_recharge_page_quotes_points_as_the_server_counts_them(client, make_user):
    WalletRules.objects.filter(pk=rules_get().pk).update(
        points_per_yuan=12, recharge_min_yuan=2, recharge_max_yuan=300
    )
    client.force_login(make_user())
    quote = client.get("/me/wallet/recharge/quote.json", {"yuan": "25"})
    assert (quote.status_code, quote.json()) == (200, {"points": 300})
    for bad in ("1", "301", "2.5", "", "abc", "１０"):
        quote = client.get("/me/wallet/recharge/quote.json", {"yuan": bad})
        assert (quote.status_code, quote.json()) == (
            400,
            {"message": "充值金额须为 2–300 元的整数 / Recharge 2–300 yuan"},
        ), bad
    page = client.get("/me/wallet/recharge/").content.decode()
    assert 'data-quote="/me/wallet/recharge/quote.json"' in page
    assert "= 120 积分" in page  # 10 yuan, the amount first offered
    # 取消 goes back to the wallet unless a page on this site sent the member.
    assert 'href="/me/wallet/" data-cancel-recharge' in page
    page = client.get(
        "/me/wallet/recharge/", {"next": "https://elsewhere.example/"}
    ).content.decode()
    assert 'href="/me/wallet/" data-cancel-recharge' in page


def test_a_refused_amount_stays_on_the_recharge_page(client, make_user):
    client.force_login(make_user())
    response = client.post(
        "/me/wallet/recharge/", {"yuan": "0", "next": "/documents/12345678/buy/"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "充值金额须为 1–5000 元的整数" in html
    assert 'href="/documents/12345678/buy/" data-cancel-recharge' in html
    assert 'name="next" value="/documents/12345678/buy/"' in html
