from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse

from wenku.documents.models import Document, DocumentStatus
from wenku.wallet.downloads import content_disposition, download_token, download_url
from wenku.wallet.models import DownloadKind, DownloadRecord, WalletRules
from wenku.wallet.selectors import download_allowed_free, rules_get, wallet_balance
from wenku.wallet.services import download_record, purchase_create, purchase_refund

pytestmark = pytest.mark.django_db

ORIGINAL = b"\xd0\xcf\x11\xe0 original document bytes"


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def bought(make_user, fund, priced_document):
    buyer = make_user()
    document = priced_document(
        price=5, title="副区长讲话范文", file_type="doc", original=ORIGINAL
    )
    fund(buyer, 20)
    purchase_create(buyer=buyer, document=document, idempotency_key="k")
    return buyer, document


def test_content_disposition_has_ascii_fallback_and_utf8_name():
    value = content_disposition(
        name="副区长讲话范文.doc", number=12345678, extension="doc"
    )
    assert value == (
        'attachment; filename="wenku-12345678.doc"; '
        "filename*=UTF-8''%E5%89%AF%E5%8C%BA%E9%95%BF%E8%AE%B2%E8%AF%9D%E8%8C%83%E6%96%87.doc"
    )


def test_content_disposition_escapes_quotes_and_control_characters():
    value = content_disposition(name='a"b\\c\r\nd 报告.pdf', number=1, extension="pdf")
    fallback = value.split(";")[1]
    assert fallback == ' filename="abcd.pdf"'
    assert "\r" not in value and "\n" not in value
    assert "filename*=UTF-8''a%22b%5Ccd%20%E6%8A%A5%E5%91%8A.pdf" in value


def test_buyer_downloads_original_with_display_title(client, bought):
    buyer, document = bought
    client.force_login(buyer)
    response = client.get(
        reverse("wallet:download", kwargs={"number": document.number})
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"/documents/{document.number}/file/")
    served = client.get(response["Location"])
    assert served.status_code == 200
    assert _content(served) == ORIGINAL
    assert served["Content-Disposition"].startswith('attachment; filename="')
    assert "filename*=UTF-8''%E5%89%AF" in served["Content-Disposition"]
    assert served["Content-Type"] == "application/msword"
    assert served["X-Content-Type-Options"] == "nosniff"
    document.refresh_from_db()
    assert document.downloads == 1
    # a second download costs nothing
    client.get(client.get(f"/documents/{document.number}/download/")["Location"])
    assert wallet_balance(user=buyer) == 15


def test_tampered_link_is_refused(client, bought, make_user):
    import base64
    import json

    buyer, document = bought
    client.force_login(buyer)
    token = download_token(user_id=buyer.pk, number=document.number)
    payload, stamp, signature = token.split(":")
    # claim another member's id (or another document) while keeping the signature
    for claims in ({"u": buyer.pk + 1, "d": document.number}, {"u": buyer.pk, "d": 1}):
        forged_payload = (
            base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode())
            .decode()
            .rstrip("=")
        )
        forged = f"{forged_payload}:{stamp}:{signature}"
        response = client.get(f"/documents/{document.number}/file/{forged}/")
        assert response.status_code == 403
        assert "下载链接无效" in response.content.decode()
    for forged in (
        f"{payload}:{stamp}:{signature[:-2]}xx",
        f"{payload}:zzzz:{signature}",
    ):
        response = client.get(f"/documents/{document.number}/file/{forged}/")
        assert response.status_code == 403
    genuine = client.get(f"/documents/{document.number}/file/{token}/")
    assert genuine.status_code == 200


def test_link_for_another_document_is_refused(client, bought, priced_document):
    buyer, document = bought
    other = priced_document(price=0)
    client.force_login(buyer)
    token = download_token(user_id=buyer.pk, number=document.number)
    response = client.get(f"/documents/{other.number}/file/{token}/")
    assert response.status_code == 403


def test_expired_link_is_refused(client, bought, settings):
    buyer, document = bought
    client.force_login(buyer)
    url = download_url(user_id=buyer.pk, number=document.number)
    with mock.patch.object(signing.TimestampSigner, "unsign") as unsign:
        unsign.side_effect = signing.SignatureExpired("expired")
        response = client.get(url)
    assert response.status_code == 403
    assert "下载链接已过期" in response.content.decode()
    settings.WALLET_DOWNLOAD_LINK_TTL = -1
    response = client.get(url)
    assert response.status_code == 403
    assert "已过期" in response.content.decode()


def test_link_used_by_another_member_or_anonymous_is_refused(client, bought, make_user):
    buyer, document = bought
    url = download_url(user_id=buyer.pk, number=document.number)
    response = client.get(url)
    assert response.status_code == 403
    assert "请先登录" in response.content.decode()
    client.force_login(make_user())
    response = client.get(url)
    assert response.status_code == 403
    assert "此下载链接属于其他会员" in response.content.decode()
    document.refresh_from_db()
    assert document.downloads == 0


def test_link_dies_after_refund_and_takedown(client, bought, make_user):
    buyer, document = bought
    client.force_login(buyer)
    url = download_url(user_id=buyer.pk, number=document.number)
    purchase_refund(purchase=document.purchases.get(), by=None, reason="x")
    assert client.get(url).status_code == 403
    response = client.get(f"/documents/{document.number}/download/")
    assert response["Location"] == f"/documents/{document.number}/buy/"


def test_takedown_blocks_buyer(client, bought):
    buyer, document = bought
    client.force_login(buyer)
    url = download_url(user_id=buyer.pk, number=document.number)
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.TAKEN_DOWN)
    assert client.get(url).status_code == 403
    assert client.get(f"/documents/{document.number}/download/").status_code == 404


def test_priced_document_redirects_to_buy_page(client, make_user, priced_document):
    document = priced_document(price=5)
    client.force_login(make_user())
    response = client.get(f"/documents/{document.number}/download/")
    assert response["Location"] == f"/documents/{document.number}/buy/"


def test_anonymous_must_log_in(client, priced_document):
    document = priced_document(price=0)
    response = client.get(f"/documents/{document.number}/download/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/documents/")


def test_uploader_downloads_own_document(client, priced_document, make_user):
    uploader = make_user()
    document = priced_document(uploader=uploader, price=9)
    client.force_login(uploader)
    location = client.get(f"/documents/{document.number}/download/")["Location"]
    assert client.get(location).status_code == 200


def test_free_download_daily_limits(client, make_user, priced_document):
    WalletRules.objects.filter(pk=rules_get().pk).update(
        free_downloads_per_member=2, free_downloads_per_ip=3
    )
    docs = [priced_document(price=0) for _ in range(3)]
    member = make_user()
    client.force_login(member)
    for document in docs[:2]:
        response = client.get(f"/documents/{document.number}/download/")
        assert response.status_code == 302
    # the same document again the same day costs no quota
    assert client.get(f"/documents/{docs[0].number}/download/").status_code == 302
    response = client.get(f"/documents/{docs[2].number}/download/")
    assert response.status_code == 429
    assert "今日免费下载次数已用完" in response.content.decode()
    assert DownloadRecord.objects.count() == 2
    # per IP: a second member behind the same address gets one more, then stops
    other = make_user()
    assert download_allowed_free(other, "127.0.0.1")
    assert download_record(
        user=other, ip="127.0.0.1", document=docs[2], kind=DownloadKind.FREE
    )
    assert not download_allowed_free(other, "127.0.0.1")
    assert download_allowed_free(other, "10.0.0.9")


def test_x_accel_redirect(client, bought, settings):
    settings.X_ACCEL_REDIRECT_PREFIX = "/protected/"
    buyer, document = bought
    client.force_login(buyer)
    response = client.get(download_url(user_id=buyer.pk, number=document.number))
    assert response["X-Accel-Redirect"] == f"/protected/{document.original.name}"
    assert response.content == b""
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_s3_redirects_to_presigned_url(client, bought, settings):
    settings.STORAGE_BACKEND = "s3"
    buyer, document = bought
    client.force_login(buyer)
    with mock.patch("wenku.wallet.downloads.default_storage") as storage:
        storage.url.return_value = "https://s3.example/bucket/x?X-Amz-Signature=abc"
        response = client.get(download_url(user_id=buyer.pk, number=document.number))
    assert response.status_code == 302
    assert response["Location"] == "https://s3.example/bucket/x?X-Amz-Signature=abc"
    kwargs = storage.url.call_args.kwargs
    assert kwargs["expire"] == 300
    assert kwargs["parameters"]["ResponseContentDisposition"].startswith("attachment;")
