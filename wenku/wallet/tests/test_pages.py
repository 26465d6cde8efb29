import pytest
from django.urls import reverse

from wenku.wallet.models import Purchase
from wenku.wallet.selectors import wallet_balance
from wenku.wallet.services import purchase_create

pytestmark = pytest.mark.django_db


def test_url_names():
    assert reverse("wallet:home") == "/me/wallet/"
    assert (
        reverse("wallet:buy", kwargs={"number": 12345678}) == "/documents/12345678/buy/"
    )
    assert (
        reverse("wallet:download", kwargs={"number": 12345678})
        == "/documents/12345678/download/"
    )


def test_member_center_requires_login(client):
    for name in ("home", "orders", "earnings", "withdraw"):
        response = client.get(reverse(f"wallet:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_wallet_home_shows_balance_history_and_forms(
    client, make_user, fund, sandbox_payments
):
    user = make_user()
    fund(user, 42)
    client.force_login(user)
    html = client.get("/me/wallet/").content.decode()
    assert "data-balance>42<" in html
    assert "管理员调整：测试充值" in html
    assert 'action="/me/wallet/checkin/"' in html
    assert 'action="/me/wallet/recharge/"' in html
    assert 'name="viewport"' in html


def test_checkin_button(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.post("/me/wallet/checkin/", follow=True)
    assert "签到成功，获得 2 积分！" in response.content.decode()
    response = client.post("/me/wallet/checkin/", follow=True)
    assert "今天已经签到过了" in response.content.decode()
    assert wallet_balance(user=user) == 2
    assert client.get("/me/wallet/checkin/").status_code == 405


def test_buy_page_flow(client, make_user, fund, priced_document):
    buyer, uploader = make_user(), make_user()
    document = priced_document(uploader=uploader, price=6, title="期末复习资料")
    fund(buyer, 10)
    client.force_login(buyer)
    page = client.get(f"/documents/{document.number}/buy/")
    html = page.content.decode()
    assert "期末复习资料.docx" in html
    assert "data-price>6<" in html
    assert "data-balance>10<" in html
    assert "确认购买（6 积分）" in html
    key = page.context["form"].initial["idempotency_key"]
    data = {"idempotency_key": key, "expected_price": "6"}
    response = client.post(f"/documents/{document.number}/buy/", data, follow=True)
    html = response.content.decode()
    assert "购买成功，已扣除 6 积分" in html
    assert "您已购买此文档，可随时免费下载" in html
    # a double submit of the same form charges nothing
    client.post(f"/documents/{document.number}/buy/", data)
    assert wallet_balance(user=buyer) == 4
    assert wallet_balance(user=uploader) == 6
    orders = client.get("/me/wallet/orders/").content.decode()
    assert "期末复习资料.docx" in orders
    client.force_login(uploader)
    earnings = client.get("/me/wallet/earnings/").content.decode()
    assert "期末复习资料.docx" in earnings
    assert "data-total>6<" in earnings


def test_buy_with_insufficient_balance_links_to_recharge(
    client, make_user, priced_document, sandbox_payments
):
    document = priced_document(price=6)
    client.force_login(make_user())
    response = client.post(
        f"/documents/{document.number}/buy/",
        {"idempotency_key": "k", "expected_price": "6"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "积分不足：需要 6 积分，当前余额 0 积分" in html
    link = f"/me/wallet/recharge/?next=/documents/{document.number}/buy/"
    assert f'href="{link}"' in html
    assert not Purchase.objects.exists()
    # The recharge page it leads to: what an amount buys, and 取消 back to the buy page.
    page = client.get(link).content.decode()
    assert '<output id="recharge-points"' in page and "= 100 积分" in page
    assert (
        f'<a class="btn btn-secondary" href="/documents/{document.number}/buy/"'
        " data-cancel-recharge>取消</a>"
    ) in page


def test_buy_own_document_is_refused_with_message(client, make_user, priced_document):
    uploader = make_user()
    document = priced_document(uploader=uploader, price=6)
    client.force_login(uploader)
    html = client.get(f"/documents/{document.number}/buy/").content.decode()
    assert "这是您上传的文档" in html
    response = client.post(
        f"/documents/{document.number}/buy/",
        {"idempotency_key": "k", "expected_price": "6"},
    )
    assert "这是您自己上传的文档，无需购买" in response.content.decode()


def test_buy_requires_csrf(make_user, fund, priced_document):
    from django.test import Client

    buyer = make_user()
    fund(buyer, 10)
    document = priced_document(price=6)
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    response = client.post(
        f"/documents/{document.number}/buy/",
        {"idempotency_key": "k", "expected_price": "6"},
    )
    assert response.status_code == 403
    assert wallet_balance(user=buyer) == 10


def test_buy_page_anonymous_redirects_to_login(client, priced_document):
    document = priced_document(price=6)
    response = client.get(f"/documents/{document.number}/buy/")
    assert response["Location"].startswith("/accounts/login/?next=")


def test_history_descriptions_for_both_sides(client, make_user, fund, priced_document):
    buyer, uploader = make_user(), make_user()
    document = priced_document(uploader=uploader, price=3, title="讲话稿")
    fund(buyer, 5)
    purchase_create(buyer=buyer, document=document, idempotency_key="k")
    client.force_login(buyer)
    assert "购买《讲话稿.docx》" in client.get("/me/wallet/").content.decode()
    client.force_login(uploader)
    assert "出售《讲话稿.docx》收入" in client.get("/me/wallet/").content.decode()
