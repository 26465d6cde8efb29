import pytest

from wenku.wallet.models import (
    Account,
    AccountKind,
    AuditLog,
    WalletRules,
    WithdrawalStatus,
)
from wenku.wallet.selectors import rules_get, wallet_balance, withdrawable_points
from wenku.wallet.services import (
    WalletError,
    purchase_create,
    withdrawal_approve,
    withdrawal_reject,
    withdrawal_request,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(make_user, fund, fund_paid, priced_document):
    """A member who earned 150 points from two sales paid with recharged points
    (no hold), and got 50 bonus points."""
    WalletRules.objects.filter(pk=rules_get().pk).update(
        withdrawal_min_points=100, income_hold_days=0
    )
    uploader = make_user()
    fund(uploader, 50)
    for price in (100, 50):
        buyer = make_user()
        fund_paid(buyer, price // 10)
        purchase_create(
            buyer=buyer,
            document=priced_document(uploader=uploader, price=price),
            idempotency_key="k",
        )
    return uploader


def _hold_balance() -> int:
    return Account.objects.get(kind=AccountKind.WITHDRAWAL_HOLD).balance


def test_only_earned_points_are_withdrawable(seller):
    assert wallet_balance(user=seller) == 200
    assert withdrawable_points(user=seller) == 150


def test_request_holds_points_and_approve_pays_out(seller, make_user, ledger_ok):
    admin = make_user(is_staff=True)
    withdrawal = withdrawal_request(user=seller, points=120, payee="支付宝 张三")
    assert wallet_balance(user=seller) == 80
    assert _hold_balance() == 120
    assert withdrawable_points(user=seller) == 30
    done = withdrawal_approve(withdrawal=withdrawal, by=admin)
    assert done.status == WithdrawalStatus.PAID
    assert _hold_balance() == 0
    assert Account.objects.get(kind=AccountKind.PAYOUTS).balance == 120
    assert wallet_balance(user=seller) == 80
    with pytest.raises(WalletError, match="已处理"):
        withdrawal_reject(withdrawal=withdrawal, by=admin)
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"withdrawal_request", "withdrawal_approve"} <= actions
    ledger_ok()


def test_reject_releases_points(seller, make_user, ledger_ok):
    withdrawal = withdrawal_request(user=seller, points=150, payee="银行卡 6222")
    withdrawal_reject(
        withdrawal=withdrawal, by=make_user(is_staff=True), note="账户有误"
    )
    assert wallet_balance(user=seller) == 200
    assert _hold_balance() == 0
    assert withdrawable_points(user=seller) == 150
    ledger_ok()


def test_request_refusals(seller, make_user):
    with pytest.raises(WalletError, match="不能少于 100"):
        withdrawal_request(user=seller, points=99, payee="x")
    with pytest.raises(WalletError, match="可提现积分为 150"):
        withdrawal_request(user=seller, points=151, payee="x")
    with pytest.raises(WalletError, match="收款账户"):
        withdrawal_request(user=seller, points=100, payee="  ")
    with pytest.raises(WalletError, match="可提现积分为 0"):
        withdrawal_request(user=make_user(), points=100, payee="x")
    assert wallet_balance(user=seller) == 200


def test_withdraw_page(client, seller):
    client.force_login(seller)
    html = client.get("/me/wallet/withdraw/").content.decode()
    assert "data-withdrawable>150<" in html
    response = client.post("/me/wallet/withdraw/", {"points": "120", "payee": "支付宝"})
    assert response.status_code == 302
    html = client.get("/me/wallet/withdraw/").content.decode()
    assert "待审核" in html
    response = client.post("/me/wallet/withdraw/", {"points": "120", "payee": "支付宝"})
    assert "可提现积分为 30" in response.content.decode()
