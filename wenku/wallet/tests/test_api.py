import pytest
from django.test import Client

from wenku.accounts.services import api_token_create
from wenku.wallet.models import Purchase
from wenku.wallet.selectors import wallet_balance

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(make_user, fund):
    user = make_user()
    fund(user, 30)
    token = api_token_create(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.user = user
    return client


def _buy(api, document, key=None, *, price=None, number=None):
    """POST the purchase at the price the buyer saw (the document's, by default)."""
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return api.post(
        f"/api/documents/{number or document.number}/purchase",
        {"expected_price": document.price if price is None else price},
        content_type="application/json",
        **headers,
    )


def test_wallet_requires_a_token(client):
    response = client.get("/api/wallet")
    assert response.status_code == 401
    assert "message" in response.json()


def test_balance_and_entries(api):
    assert api.get("/api/wallet").json() == {
        "balance": 30,
        "bonus": 30,
        "paid": 0,
        "withdrawable": 0,
        "held": 0,
    }
    body = api.get("/api/wallet/entries").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["amount"], item["balance_after"], item["kind"]) == (30, 30, "grant")
    assert item["account"] == "bonus"
    assert item["description"] == "管理员调整：测试充值"
    assert item["document_number"] is None


def test_entries_are_paginated(api, fund):
    for _ in range(24):
        fund(api.user, 1)
    first = api.get("/api/wallet/entries").json()
    second = api.get("/api/wallet/entries?page=2").json()
    assert first["count"] == 25
    assert len(first["items"]) == 20
    assert len(second["items"]) == 5


def test_purchase_is_idempotent(api, priced_document):
    document = priced_document(price=12)
    first = _buy(api, document, "abc-1")
    assert first.status_code == 200
    assert first.json() == {
        "entitled": True,
        "balance": 18,
        "charged": True,
        "price": 12,
    }
    replay = _buy(api, document, "abc-1")
    assert replay.json() == {
        "entitled": True,
        "balance": 18,
        "charged": False,
        "price": 12,
    }
    assert wallet_balance(user=api.user) == 18
    assert Purchase.objects.count() == 1


def test_purchase_errors_are_json(api, priced_document):
    document = priced_document(price=100)
    missing = _buy(api, document)
    assert missing.status_code == 422
    assert "message" in missing.json()
    no_price = api.post(
        f"/api/documents/{document.number}/purchase",
        {},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k0",
    )
    assert no_price.status_code == 422
    short = _buy(api, document, "k")
    assert short.status_code == 402
    assert short.json()["message"].startswith("积分不足")
    own = priced_document(uploader=api.user, price=5)
    response = _buy(api, own, "k2")
    assert response.status_code == 400
    assert "自己上传" in response.json()["message"]
    assert _buy(api, own, "k3", number=1).status_code == 404
    other = priced_document(price=1)
    _buy(api, other, "dup")
    third = priced_document(price=1)
    conflict = _buy(api, third, "dup")
    assert conflict.status_code == 409


def test_download_redirects_to_signed_url_that_accepts_the_token(api, priced_document):
    document = priced_document(price=5, original=b"api-bytes")
    url = f"/api/documents/{document.number}/download"
    assert api.get(url).status_code == 402
    _buy(api, document, "k")
    response = api.get(url)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"/documents/{document.number}/file/")
    served = api.get(location)
    assert b"".join(served.streaming_content) == b"api-bytes"
    assert Client().get(location).status_code == 403


def test_checkin(api):
    first = api.post("/api/checkin").json()
    assert first == {"points": 2, "already": False, "balance": 32}
    assert api.post("/api/checkin").json() == {
        "points": 0,
        "already": True,
        "balance": 32,
    }


def test_endpoints_are_in_the_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/wallet",
        "/api/wallet/entries",
        "/api/documents/{number}/purchase",
        "/api/documents/{number}/download",
        "/api/checkin",
    ):
        assert path in paths
    params = paths["/api/documents/{number}/purchase"]["post"]["parameters"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in params)
