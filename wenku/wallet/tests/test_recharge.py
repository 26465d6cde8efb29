import time

import pytest
from django.urls import reverse

from wenku.wallet.models import (
    AuditLog,
    NotificationOutcome,
    PaymentNotification,
    RechargeOrder,
    RechargeStatus,
    WalletRules,
)
from wenku.wallet.payments.sandbox import notice_build, sign
from wenku.wallet.selectors import (
    entry_description,
    member_entries,
    rules_get,
    wallet_balance,
)
from wenku.wallet.services import WalletError, recharge_order_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sandbox_payments")]

NOTIFY = "/wallet/notify/sandbox/"


def _order(user, yuan=10):
    return recharge_order_create(user=user, yuan=yuan, provider="sandbox")


def _post(client, fields):
    return client.post(NOTIFY, fields)


def test_order_uses_exchange_rate(make_user):
    WalletRules.objects.filter(pk=rules_get().pk).update(points_per_yuan=10)
    order = _order(make_user(), yuan=12)
    assert (order.amount_fen, order.points, order.status) == (1200, 120, "pending")
    assert order.out_trade_no.startswith("WK")


@pytest.mark.parametrize("yuan", [0, -1, 10**7])
def test_order_amount_bounds(make_user, yuan):
    with pytest.raises(WalletError, match="充值金额须为"):
        _order(make_user(), yuan=yuan)


def test_signed_notice_credits_once(client, make_user, ledger_ok):
    user = make_user()
    order = _order(user)
    fields = notice_build(out_trade_no=order.out_trade_no, amount_fen=order.amount_fen)
    response = _post(client, fields)
    assert response.status_code == 200
    assert response.content == b"success"
    order.refresh_from_db()
    assert order.status == RechargeStatus.PAID
    assert order.provider_trade_no == fields["trade_no"]
    assert wallet_balance(user=user) == 100
    assert entry_description(member_entries(user=user).first()).startswith(
        "充值（10.00 元"
    )
    assert AuditLog.objects.filter(action="recharge", subject_user=user).count() == 1
    # the very same notice again (a replay), and a fresh notice for the paid order
    assert _post(client, fields).content == b"success"
    fresh = notice_build(out_trade_no=order.out_trade_no, amount_fen=order.amount_fen)
    assert _post(client, fresh).content == b"success"
    assert wallet_balance(user=user) == 100
    outcomes = list(
        PaymentNotification.objects.order_by("id").values_list("outcome", flat=True)
    )
    assert outcomes == ["credited", "duplicate", "duplicate"]
    ledger_ok()


def test_forged_signature_is_rejected_and_logged(client, make_user):
    user = make_user()
    order = _order(user)
    fields = notice_build(out_trade_no=order.out_trade_no, amount_fen=order.amount_fen)
    fields["sign"] = "0" * 64
    response = _post(client, fields)
    assert response.status_code == 400
    assert wallet_balance(user=user) == 0
    row = PaymentNotification.objects.get()
    assert row.outcome == NotificationOutcome.BAD_SIGNATURE
    assert row.out_trade_no == order.out_trade_no


def test_tampered_amount_breaks_the_signature(client, make_user):
    user = make_user()
    order = _order(user)
    fields = notice_build(out_trade_no=order.out_trade_no, amount_fen=order.amount_fen)
    fields["amount_fen"] = "999900"
    assert _post(client, fields).status_code == 400
    assert wallet_balance(user=user) == 0


def test_signed_but_mismatched_amount_is_rejected(client, make_user):
    user = make_user()
    order = _order(user)
    fields = notice_build(out_trade_no=order.out_trade_no, amount_fen=1)
    assert _post(client, fields).status_code == 400
    assert PaymentNotification.objects.get().outcome == NotificationOutcome.MISMATCH
    assert RechargeOrder.objects.get().status == RechargeStatus.PENDING


def test_unknown_order_is_rejected(client):
    fields = notice_build(out_trade_no="WK-NOPE", amount_fen=100)
    assert _post(client, fields).status_code == 400
    assert (
        PaymentNotification.objects.get().outcome == NotificationOutcome.UNKNOWN_ORDER
    )


def test_stale_notice_is_rejected(client, make_user):
    user = make_user()
    order = _order(user)
    fields = notice_build(
        out_trade_no=order.out_trade_no,
        amount_fen=order.amount_fen,
        now=time.time() - 3 * 24 * 3600,
    )
    assert _post(client, fields).status_code == 400
    assert PaymentNotification.objects.get().outcome == NotificationOutcome.STALE
    assert wallet_balance(user=user) == 0


def test_malformed_notice_and_unknown_provider(client):
    assert _post(client, {"out_trade_no": "x"}).status_code == 400
    assert client.post("/wallet/notify/alipay/", {"a": "b"}).status_code == 400
    assert client.get(NOTIFY).status_code == 405


def test_signature_is_over_sorted_fields():
    assert sign({"b": "2", "a": "1"}) == sign({"a": "1", "b": "2"})


def test_sandbox_pay_page_queues_the_signed_notice(client, make_user, monkeypatch):
    from wenku.wallet import tasks

    sent = []
    monkeypatch.setattr(
        tasks.sandbox_send_notice, "delay", lambda **kwargs: sent.append(kwargs)
    )
    user = make_user()
    client.force_login(user)
    response = client.post(reverse("wallet:recharge"), {"yuan": "5"})
    order = RechargeOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/wallet/sandbox/pay/{order.out_trade_no}/"
    page = client.get(response["Location"])
    assert "确认支付" in page.content.decode()
    assert "¥ 5.00" in page.content.decode()
    response = client.post(f"/wallet/sandbox/pay/{order.out_trade_no}/")
    assert response["Location"] == f"/me/wallet/recharge/{order.out_trade_no}/"
    assert sent == [
        {
            "out_trade_no": order.out_trade_no,
            "amount_fen": 500,
            "notify_url": "http://testserver/wallet/notify/sandbox/",
        }
    ]
    status = client.get(response["Location"]).content.decode()
    assert "正在等待支付结果" in status


def test_sandbox_pay_page_is_the_owners_only(client, make_user):
    order = _order(make_user())
    client.force_login(make_user())
    assert client.get(f"/wallet/sandbox/pay/{order.out_trade_no}/").status_code == 404


def test_recharge_off_without_provider(client, make_user, settings):
    settings.WALLET_PAYMENT_PROVIDER = ""
    client.force_login(make_user())
    assert "充值暂不可用" in client.get("/me/wallet/").content.decode()
    client.post(reverse("wallet:recharge"), {"yuan": "5"})
    assert not RechargeOrder.objects.exists()


def test_secret_from_setting(settings, make_user):
    settings.WALLET_SANDBOX_PAY_SECRET = "provider-secret"
    fields = notice_build(out_trade_no="X", amount_fen=1)
    settings.WALLET_SANDBOX_PAY_SECRET = "other-secret"
    from wenku.wallet.payments import NoticeRejected, provider_get

    with pytest.raises(NoticeRejected):
        provider_get("sandbox").verify(fields)
