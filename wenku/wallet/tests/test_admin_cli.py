import pytest

from wenku.cli import main
from wenku.wallet.models import (
    AuditLog,
    Purchase,
    PurchaseStatus,
    WalletRules,
    Withdrawal,
    WithdrawalStatus,
)
from wenku.wallet.selectors import rules_get, wallet_balance
from wenku.wallet.services import purchase_create, withdrawal_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    admin = make_user(is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.admin = admin
    return client


def test_cli_grant_and_debit(make_user, capsys):
    user = make_user("laowang")
    assert main(["points", "grant", "laowang", "50", "--reason", "活动奖励"]) == 0
    assert main(["points", "grant", "laowang", "-20", "--reason", "扣除"]) == 0
    assert wallet_balance(user=user) == 30
    assert main(["points", "grant", "laowang", "-31", "--reason", "扣除"]) == 1
    assert "积分不足" in capsys.readouterr().err
    assert wallet_balance(user=user) == 30
    assert main(["points", "grant", "nobody", "5", "--reason", "x"]) == 2
    assert main(["points", "check"]) == 0


def test_admin_grant_form(admin_client, make_user):
    user = make_user("xiaoli")
    url = "/admin/wallet/account/grant/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, {"username": "xiaoli", "amount": "25", "reason": "补偿"}
    )
    assert response.status_code == 302
    assert wallet_balance(user=user) == 25
    log = AuditLog.objects.get(action="grant")
    assert log.actor == admin_client.admin
    response = admin_client.post(
        url, {"username": "xiaoli", "amount": "-26", "reason": "x"}
    )
    assert "积分不足" in response.content.decode()
    assert wallet_balance(user=user) == 25


def test_admin_ledger_pages_are_read_only(admin_client, make_user, fund):
    fund(make_user(), 5)
    for model in ("entry", "transfer", "account", "auditlog", "purchase", "withdrawal"):
        assert admin_client.get(f"/admin/wallet/{model}/").status_code == 200
    assert admin_client.get("/admin/wallet/entry/add/").status_code == 403
    assert admin_client.get("/admin/wallet/walletrules/").status_code == 200


def test_admin_refund_action(admin_client, make_user, fund, priced_document):
    buyer = make_user()
    fund(buyer, 10)
    purchase = purchase_create(
        buyer=buyer, document=priced_document(price=10), idempotency_key="k"
    ).purchase
    response = admin_client.post(
        "/admin/wallet/purchase/",
        {"action": "refund", "_selected_action": [purchase.pk]},
        follow=True,
    )
    assert "已退款 1 笔" in response.content.decode()
    assert Purchase.objects.get().status == PurchaseStatus.REFUNDED
    assert wallet_balance(user=buyer) == 10


def test_admin_withdrawal_actions(admin_client, make_user, fund_paid, priced_document):
    WalletRules.objects.filter(pk=rules_get().pk).update(
        withdrawal_min_points=1, income_hold_days=0
    )
    seller = make_user()
    for _ in range(2):
        buyer = make_user()
        fund_paid(buyer, 1)
        purchase_create(
            buyer=buyer,
            document=priced_document(uploader=seller, price=10),
            idempotency_key="k",
        )
    first = withdrawal_request(user=seller, points=10, payee="x")
    second = withdrawal_request(user=seller, points=10, payee="x")
    admin_client.post(
        "/admin/wallet/withdrawal/",
        {"action": "approve", "_selected_action": [first.pk]},
    )
    admin_client.post(
        "/admin/wallet/withdrawal/",
        {"action": "reject", "_selected_action": [second.pk]},
    )
    statuses = dict(Withdrawal.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: WithdrawalStatus.PAID,
        second.pk: WithdrawalStatus.REJECTED,
    }
    assert wallet_balance(user=seller) == 10
