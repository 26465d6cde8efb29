"""The economy under attack: free points never become cash, purchases last, and the
API charges only the price the buyer saw (issue: trust)."""

from __future__ import annotations

from datetime import timedelta
from hashlib import sha256

import pytest
from django.test import Client
from django.utils import timezone

from wenku.accounts.services import api_token_create, user_create
from wenku.documents.models import Document, DocumentStatus
from wenku.wallet.ledger import Leg, accounts_lock, member_wallet, platform_account
from wenku.wallet.ledger import transfer_post as ledger_transfer_post
from wenku.wallet.models import (
    AccountKind,
    Purchase,
    Transfer,
    TransferKind,
    WalletRules,
    WithdrawalStatus,
)
from wenku.wallet.selectors import (
    ledger_problems,
    rules_get,
    wallet_balance,
    wallet_summary,
)
from wenku.wallet.services import (
    WalletError,
    income_release_due,
    purchase_create,
    purchase_refund,
    wallet_reward_upload,
    withdrawal_approve,
    withdrawal_request,
)

pytestmark = pytest.mark.django_db


def _rules(**fields) -> None:
    WalletRules.objects.filter(pk=rules_get().pk).update(**fields)


def _kinds(user) -> tuple[int, int, int, int]:
    s = wallet_summary(user=user)
    return (s.bonus, s.recharged, s.held, s.withdrawable)


def test_sock_puppets_buying_with_signup_points_make_no_cash(
    make_user, quick_document, ledger_ok
):
    _rules(withdrawal_min_points=100, signup_bonus=10, income_hold_days=0)
    seller = make_user()
    document = quick_document(uploader=seller, price=10)
    for n in range(10):
        puppet = user_create(
            username=f"puppet{n}", password="Puppet-pass-2024", ip=f"10.0.0.{n}"
        )
        result = purchase_create(buyer=puppet, document=document, idempotency_key="k")
        assert result.charged and result.purchase.bonus_points == 10
        assert result.purchase.seller_income == 0
    assert wallet_balance(user=seller) == 100
    assert _kinds(seller) == (100, 0, 0, 0)
    with pytest.raises(WalletError, match="可提现积分为 0") as refused:
        withdrawal_request(user=seller, points=100, payee="支付宝 attacker")
    assert "赠送积分不可提现" in refused.value.message
    ledger_ok()


def test_signup_bonus_is_capped_per_ip_and_day(db):
    _rules(signup_bonus=10, signup_bonus_per_ip_per_day=3)
    users = [
        user_create(username=f"burst{n}", password="Burst-pass-2024", ip="192.0.2.7")
        for n in range(30)
    ]
    assert [wallet_balance(user=u) for u in users] == [10] * 3 + [0] * 27
    other = user_create(username="elsewhere", password="Burst-pass-2024", ip="::1")
    assert wallet_balance(user=other) == 10
    # the ledger keeps a keyed hash of the address, never the address itself
    memos = set(
        Transfer.objects.filter(kind=TransferKind.SIGNUP_BONUS).values_list(
            "memo", flat=True
        )
    )
    assert len(memos) == 2 and not any("192.0.2.7" in memo for memo in memos)


def test_forty_padded_uploads_pay_at_most_the_daily_cap(
    make_user, quick_document, ledger_ok
):
    _rules(upload_reward=5, upload_rewards_per_day=5)
    uploader = make_user()
    for _ in range(40):
        wallet_reward_upload(document=quick_document(uploader=uploader, price=0))
    assert wallet_balance(user=uploader) == 25
    assert Transfer.objects.filter(kind=TransferKind.UPLOAD_REWARD).count() == 5
    # another member's rewards are counted apart
    other = make_user()
    wallet_reward_upload(document=quick_document(uploader=other, price=0))
    assert wallet_balance(user=other) == 5
    ledger_ok()


def test_sandbox_recharge_points_are_never_withdrawable(
    client, make_user, quick_document, sandbox_payments, ledger_ok
):
    from urllib.parse import urlencode

    from wenku.wallet.payments.sandbox import notice_build
    from wenku.wallet.services import payment_notice_handle, recharge_order_create

    _rules(withdrawal_min_points=100, income_hold_days=0)
    accomplice, seller = make_user(), make_user()
    order = recharge_order_create(user=accomplice, yuan=5000, provider="sandbox")
    data = notice_build(out_trade_no=order.out_trade_no, amount_fen=order.amount_fen)
    assert payment_notice_handle(
        provider_name="sandbox", data=data, body=urlencode(data)
    ) == (True, "credited")
    assert _kinds(accomplice) == (50000, 0, 0, 0)
    document = quick_document(uploader=seller, price=500)
    purchase_create(buyer=accomplice, document=document, idempotency_key="k")
    assert _kinds(seller) == (500, 0, 0, 0)
    with pytest.raises(WalletError, match="可提现积分为 0"):
        withdrawal_request(user=seller, points=500, payee="x")
    # and every page says the site takes no real money
    client.force_login(seller)
    assert "沙箱/测试模式" in client.get("/me/wallet/").content.decode()
    ledger_ok()


def test_sandbox_is_off_unless_configured(client, make_user):
    client.force_login(make_user())
    html = client.get("/me/wallet/").content.decode()
    assert "沙箱/测试模式" not in html
    assert "充值暂不可用" in html


def test_paid_points_become_income_after_the_hold(
    make_user, fund, fund_paid, quick_document, ledger_ok
):
    _rules(withdrawal_min_points=10, income_hold_days=7)
    seller, buyer = make_user(), make_user()
    fund(buyer, 4)  # bonus is spent first
    fund_paid(buyer, 1)  # 10 paid points
    result = purchase_create(
        buyer=buyer,
        document=quick_document(uploader=seller, price=12),
        idempotency_key="k",
    )
    assert (result.purchase.bonus_points, result.purchase.seller_income) == (4, 8)
    assert _kinds(buyer) == (0, 2, 0, 0)
    assert _kinds(seller) == (4, 0, 8, 0)
    with pytest.raises(WalletError, match="另有 8 积分收入在结算期内"):
        withdrawal_request(user=seller, points=10, payee="x")
    assert income_release_due(now=timezone.now() + timedelta(days=6)) == 0
    assert income_release_due(now=timezone.now() + timedelta(days=7, seconds=1)) == 8
    assert income_release_due(now=timezone.now() + timedelta(days=8)) == 0
    assert _kinds(seller) == (4, 0, 0, 8)
    ledger_ok()


def test_refund_takes_held_income_first(
    make_user, fund, fund_paid, quick_document, ledger_ok
):
    _rules(income_hold_days=7)
    seller, buyer, other = make_user(), make_user(), make_user()
    fund(seller, 30)
    fund_paid(buyer, 2)
    purchase = purchase_create(
        buyer=buyer,
        document=quick_document(uploader=seller, price=20),
        idempotency_key="k",
    ).purchase
    assert _kinds(seller) == (30, 0, 20, 0)
    purchase_refund(purchase=purchase, by=other, reason="文不对题")
    assert _kinds(seller) == (30, 0, 0, 0)
    assert _kinds(buyer) == (0, 20, 0, 0)  # paid points come back as paid points
    assert Purchase.objects.get(pk=purchase.pk).refund_shortfall == 0
    ledger_ok()


def test_withdrawal_approved_after_a_refund_is_refused_with_a_reason(
    make_user, fund_paid, quick_document, ledger_ok
):
    _rules(withdrawal_min_points=100, income_hold_days=0)
    seller, buyer, admin = make_user(), make_user(), make_user(is_staff=True)
    fund_paid(buyer, 10)
    purchase = purchase_create(
        buyer=buyer,
        document=quick_document(uploader=seller, price=100),
        idempotency_key="k",
    ).purchase
    withdrawal = withdrawal_request(user=seller, points=100, payee="银行卡")
    assert wallet_balance(user=seller) == 0
    with pytest.raises(WalletError, match="待审核提现 100 积分"):
        purchase_refund(purchase=purchase, by=admin, reason="侵权")
    purchase_refund(
        purchase=purchase, by=admin, reason="侵权", platform_covers_shortfall=True
    )
    with pytest.raises(WalletError, match="平台为该会员垫付了 100 积分") as refused:
        withdrawal_approve(withdrawal=withdrawal, by=admin)
    assert "只有 0 积分仍有收入支撑" in refused.value.message
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.PENDING
    # rejecting returns the points, and the platform takes back what it covered
    from wenku.wallet.services import withdrawal_reject

    withdrawal_reject(withdrawal=withdrawal, by=admin, note="退款后不足")
    assert wallet_balance(user=seller) == 0
    assert wallet_summary(user=seller).debt == 0
    ledger_ok()


def test_withdrawal_still_covered_after_a_refund_is_approved(
    make_user, fund_paid, quick_document, ledger_ok
):
    _rules(withdrawal_min_points=10, income_hold_days=0)
    seller, admin = make_user(), make_user(is_staff=True)
    purchases = []
    for price in (100, 50):
        buyer = make_user()
        fund_paid(buyer, price // 10)
        purchases.append(
            purchase_create(
                buyer=buyer,
                document=quick_document(uploader=seller, price=price),
                idempotency_key="k",
            ).purchase
        )
    withdrawal = withdrawal_request(user=seller, points=50, payee="x")
    purchase_refund(purchase=purchases[0], by=admin, reason="r")  # 100 of 100 left
    assert withdrawal_approve(withdrawal=withdrawal, by=admin).status == "paid"
    ledger_ok()


def test_buyer_keeps_the_document_after_the_uploader_unlists(
    make_user, fund, quick_document, ledger_ok
):
    seller, buyer, stranger = make_user(), make_user(), make_user()
    fund(buyer, 10)
    document = quick_document(uploader=seller, price=10, original=b"the-bytes-sold")
    purchase_create(buyer=buyer, document=document, idempotency_key="k")
    token = api_token_create(user=seller)
    gone = Client(HTTP_AUTHORIZATION=f"Bearer {token}").delete(
        f"/api/documents/{document.number}"
    )
    assert gone.status_code == 200 and gone.json()["status"] == "unlisted"
    assert Client().get(document.get_absolute_url()).status_code == 404
    outsider = Client()
    outsider.force_login(stranger)
    assert outsider.get(document.get_absolute_url()).status_code == 404
    reader = Client()
    reader.force_login(buyer)
    assert reader.get(document.get_absolute_url()).status_code == 200
    orders = reader.get("/me/wallet/orders/").content.decode()
    assert document.get_absolute_url() in orders
    link = reader.get(f"/documents/{document.number}/download/")
    assert link.status_code == 302
    served = reader.get(link["Location"])
    assert b"".join(served.streaming_content) == b"the-bytes-sold"
    # nobody can buy it any more, and the seller keeps the sale (no refund owed)
    fund(stranger, 10)
    with pytest.raises(WalletError, match="未发布或已下架"):
        purchase_create(buyer=stranger, document=document, idempotency_key="k")
    ledger_ok()


def test_unlist_via_api_is_for_the_uploader_only(make_user, quick_document):
    document = quick_document(uploader=make_user(), price=0)
    other = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=make_user())}")
    assert other.delete(f"/api/documents/{document.number}").status_code == 404
    assert Client().delete(f"/api/documents/{document.number}").status_code == 401
    document.refresh_from_db()
    assert document.status == DocumentStatus.PUBLISHED


def test_reuploading_unlisted_bytes_brings_the_old_document_back(make_user):
    from wenku.documents.services import UploadRejected, document_upload

    data = "同一份讲稿的正文。\n".encode() * 20
    uploader = make_user()
    old = Document.objects.create(
        number=55500011,
        title="旧讲稿",
        uploader=uploader,
        original="originals/test/old.txt",
        original_name="old.txt",
        file_type="txt",
        sha256=sha256(data).hexdigest(),
        size=len(data),
        status=DocumentStatus.UNLISTED,
        published_at=timezone.now(),
    )
    with pytest.raises(UploadRejected) as refused:
        document_upload(
            uploader=make_user(),
            file_name="copy.txt",
            data=data,
            copyright_declared=True,
        )
    assert refused.value.code == "duplicate"
    assert refused.value.existing is None  # the refusal reveals no hidden document
    back = document_upload(
        uploader=uploader, file_name="again.txt", data=data, copyright_declared=True
    )
    assert back.pk == old.pk and back.status == DocumentStatus.PUBLISHED
    assert Document.objects.count() == 1


def test_api_purchase_with_a_stale_price_is_refused_and_charges_nothing(
    make_user, fund, quick_document
):
    buyer = make_user()
    fund(buyer, 30)
    document = quick_document(uploader=make_user(), price=5)
    Document.objects.filter(pk=document.pk).update(price=10)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=buyer)}")
    response = api.post(
        f"/api/documents/{document.number}/purchase",
        {"expected_price": 5},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert response.status_code == 409
    assert response.json()["price"] == 10
    assert response.json()["code"] == "price_changed"
    assert "文档价格已变为 10 积分" in response.json()["message"]
    assert wallet_balance(user=buyer) == 30
    assert Purchase.objects.count() == 0


def test_api_withdrawals(make_user, fund_paid, quick_document):
    _rules(withdrawal_min_points=10, income_hold_days=0)
    seller = make_user()
    buyer = make_user()
    fund_paid(buyer, 3)
    purchase_create(
        buyer=buyer,
        document=quick_document(uploader=seller, price=30),
        idempotency_key="k",
    )
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=seller)}")
    assert api.get("/api/wallet").json() == {
        "balance": 30,
        "bonus": 0,
        "paid": 30,
        "withdrawable": 30,
        "held": 0,
    }
    made = api.post(
        "/api/wallet/withdrawals",
        {"points": 20, "payee": "支付宝 x"},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert (made.json()["points"], made.json()["status"]) == (20, "pending")
    too_much = api.post(
        "/api/wallet/withdrawals",
        {"points": 20, "payee": "支付宝 x"},
        content_type="application/json",
    )
    assert too_much.status_code == 400
    assert too_much.json()["message"].startswith("可提现积分为 10")
    listed = api.get("/api/wallet/withdrawals").json()
    assert listed["count"] == 1 and listed["items"][0]["points"] == 20


def test_points_check_catches_bonus_turned_into_income(make_user, fund):
    from django.db import transaction

    member = make_user()
    fund(member, 10)
    wallet = member_wallet(member)
    promotions = platform_account(AccountKind.PROMOTIONS)
    assert ledger_problems() == []
    with transaction.atomic():
        locked = accounts_lock([wallet.income, promotions])
        forged = ledger_transfer_post(
            kind=TransferKind.GRANT,
            idempotency_key="forged",
            legs=[Leg(promotions, -10), Leg(wallet.income, 10)],
            locked=locked,
        )
    assert ledger_problems() == [
        f"transfer {forged.pk} pays 10 income from only 0 paid points"
    ]
