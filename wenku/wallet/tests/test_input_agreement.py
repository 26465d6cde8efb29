"""Wallet writes: the pages refuse bad input with the service's own message.

A purchase goes through both the buy page (a real form POST) and the API; recharge
and withdrawal have only their member-center forms, so those are compared with what
the service itself raises for the same input. Nothing may be written.
"""

from __future__ import annotations

import pytest
from django.test import Client

from wenku.accounts.services import api_token_create
from wenku.wallet.models import Purchase, RechargeOrder, Withdrawal
from wenku.wallet.selectors import wallet_balance
from wenku.wallet.services import (
    WalletError,
    recharge_order_create,
    withdrawal_request,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(make_user, fund):
    user = make_user("buyer")
    fund(user, 30)
    user.api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user)}")
    return user


def _buy_page(client, buyer, document, *, key: str, price: int):
    client.force_login(buyer)
    response = client.post(
        f"/documents/{document.number}/buy/",
        {"idempotency_key": key, "expected_price": str(price)},
    )
    return response.status_code, response.context["error"]


def _buy_api(buyer, document, *, key: str):
    response = buyer.api.post(
        f"/api/documents/{document.number}/purchase",
        {"expected_price": document.price},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    return response.status_code, response.json()["message"]


@pytest.mark.parametrize(
    ("case", "key", "price", "api_status"),
    [
        ("key too long", "k" * 101, 10, 400),
        ("key blank", " ", 10, 400),
        ("balance too low", "key-1", 50, 402),
        ("free document", "key-1", 0, 400),
    ],
)
def test_purchase_refused_alike(
    client, buyer, priced_document, case, key, price, api_status
):
    document = priced_document(price=price)
    page = _buy_page(client, buyer, document, key=key, price=price)
    api = _buy_api(buyer, document, key=key)
    assert page[0] == 400, case
    assert api == (api_status, page[1]), case
    assert Purchase.objects.count() == 0
    assert wallet_balance(user=buyer) == 30


def test_purchase_of_own_document_refused_alike(client, buyer, priced_document):
    document = priced_document(uploader=buyer, price=10)
    page = _buy_page(client, buyer, document, key="own", price=10)
    api = _buy_api(buyer, document, key="own")
    assert page == (
        400,
        "这是您自己上传的文档，无需购买 / You uploaded this document; "
        "no need to buy it",
    )
    assert api == (400, page[1])
    assert Purchase.objects.count() == 0


def test_longest_key_is_accepted_alike(client, buyer, priced_document):
    first, second = priced_document(price=5), priced_document(price=5)
    client.force_login(buyer)
    page = client.post(
        f"/documents/{first.number}/buy/",
        {"idempotency_key": "p" * 100, "expected_price": "5"},
    )
    api = buyer.api.post(
        f"/api/documents/{second.number}/purchase",
        {"expected_price": 5},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="a" * 100,
    )
    assert (page.status_code, api.status_code) == (302, 200)
    assert Purchase.objects.count() == 2
    assert wallet_balance(user=buyer) == 20


def _service_message(call) -> str:
    with pytest.raises(WalletError) as refused:
        call()
    return refused.value.message


@pytest.mark.parametrize("yuan", ["0", "-5", "5001", "99999999999999999999"])
def test_recharge_form_says_what_the_service_says(
    client, make_user, yuan, sandbox_payments
):
    member = make_user()
    expected = _service_message(
        lambda: recharge_order_create(user=member, yuan=int(yuan), provider="sandbox")
    )
    client.force_login(member)
    response = client.post("/me/wallet/recharge/", {"yuan": yuan})
    assert response.status_code == 400
    assert response.context["error"] == expected
    assert expected in response.content.decode()
    # The live figure on the recharge page asks the same rule.
    quote = client.get("/me/wallet/recharge/quote.json", {"yuan": yuan})
    assert (quote.status_code, quote.json()) == (400, {"message": expected})
    assert RechargeOrder.objects.count() == 0


@pytest.mark.parametrize(
    ("points", "payee"),
    [
        ("50", "支付宝 张三"),  # below the minimum
        ("0", "支付宝 张三"),
        ("-1", "支付宝 张三"),
        ("150", ""),  # no payee
        ("150", "   "),
        ("150", "账" * 201),
        ("100000000", "支付宝 张三"),  # more than was earned
    ],
)
def test_withdrawal_form_says_what_the_service_says(
    client, make_user, fund, points, payee
):
    member = make_user()
    fund(member, 500)
    expected = _service_message(
        lambda: withdrawal_request(user=member, points=int(points), payee=payee)
    )
    client.force_login(member)
    response = client.post("/me/wallet/withdraw/", {"points": points, "payee": payee})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [expected]
    assert response.context["form"].errors.keys() == {"__all__"}
    assert Withdrawal.objects.count() == 0
    assert wallet_balance(user=member) == 500
