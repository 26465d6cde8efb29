"""Rate limits: the N+1th request within a window gets 429 with Retry-After."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from wenku.accounts.models import User
from wenku.core.ratelimit import rate_limit_message

LIMIT = 3
TEXT_FILE = "第{}份文档：关于规范上传频率的说明。".encode()


@pytest.fixture
def limits(settings, db):
    """Every limit on, at 3 per hour, with fresh counters."""
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {
        name: (LIMIT, 3600) for name in ("register", "token", "report", "suggest")
    }
    cache.clear()
    yield settings
    cache.clear()


def _assert_limited(response, *, api: bool) -> int:
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 3600
    if api:
        assert response.json() == {"message": rate_limit_message(retry_after)}
    else:
        assert rate_limit_message(retry_after) in response.content.decode()
    return retry_after


def test_message_is_chinese_then_english():
    assert rate_limit_message(30) == (
        "操作过于频繁，请 30 秒后再试。 / Too many requests: try again in 30 seconds."
    )
    assert rate_limit_message(61) == (
        "操作过于频繁，请 2 分钟后再试。 / Too many requests: try again in 2 minutes."
    )
    assert rate_limit_message(3601) == (
        "操作过于频繁，请 2 小时后再试。 / Too many requests: try again in 2 hours."
    )


def _register_web(client: Client, name: str):
    return client.post(
        "/accounts/register/",
        {
            "username": name,
            "display_name": "",
            "password1": "Correct-horse-2024",
            "password2": "Correct-horse-2024",
        },
    )


def test_web_registration_per_address(limits):
    for index in range(LIMIT):
        assert _register_web(Client(), f"puppet{index}").status_code == 302
    response = _register_web(Client(), "puppet9")
    _assert_limited(response, api=False)
    assert User.objects.filter(username__startswith="puppet").count() == LIMIT
    # Another address is counted on its own.
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert _register_web(other, "elsewhere").status_code == 302
    # The form itself is still shown (GET does not count).
    assert Client().get("/accounts/register/").status_code == 200


def _register_api(client: Client, name: str):
    return client.post(
        "/api/auth/register",
        {"username": name, "password": "Correct-horse-2024"},
        content_type="application/json",
    )


def test_api_registration_per_address(limits):
    client = Client()
    for index in range(LIMIT):
        assert _register_api(client, f"bot{index}").status_code == 201
    _assert_limited(_register_api(client, "bot9"), api=True)
    assert User.objects.filter(username__startswith="bot").count() == LIMIT


def test_web_and_api_registration_share_one_budget(limits):
    assert _register_web(Client(), "web0").status_code == 302
    assert _register_api(Client(), "api0").status_code == 201
    assert _register_api(Client(), "api1").status_code == 201
    _assert_limited(_register_web(Client(), "web1"), api=False)


def _token(client: Client, password: str):
    return client.post(
        "/api/auth/token",
        {"username": "holder", "password": password},
        content_type="application/json",
    )


def test_token_issue_per_address_apart_from_the_lockout(limits, make_user):
    make_user("holder", password="Correct-horse-2024")
    client = Client()
    for _ in range(LIMIT):
        assert _token(client, "Correct-horse-2024").status_code == 200
    _assert_limited(_token(client, "Correct-horse-2024"), api=True)
    # Not a lockout: the account signs in on the web, and another address gets a token.
    signed_in = client.post(
        "/accounts/login/", {"username": "holder", "password": "Correct-horse-2024"}
    )
    assert signed_in.status_code == 302
    other = Client(REMOTE_ADDR="198.51.100.21")
    assert _token(other, "Correct-horse-2024").status_code == 200


def _report(client: Client, number: int):
    return client.post(
        f"/documents/{number}/report/",
        {"reason": "ad", "description": "广告", "contact": ""},
    )


def test_report_per_address_and_per_member(limits, make_document, make_user):
    from wenku.moderation.models import Report

    documents = [make_document() for _ in range(LIMIT + 1)]
    document = documents[0]
    anonymous = Client()
    for each in documents[:LIMIT]:
        assert _report(anonymous, each.number).status_code == 302
    _assert_limited(_report(anonymous, documents[LIMIT].number), api=False)
    assert Report.objects.count() == LIMIT
    # A member on the same address has a budget of their own.
    member = Client()
    member.force_login(make_user("reporter"))
    for _ in range(LIMIT):
        assert _report(member, document.number).status_code < 400
    _assert_limited(_report(member, document.number), api=False)


def test_suggest_per_address(limits):
    client = Client()
    for _ in range(LIMIT):
        response = client.get("/api/search/suggest", {"q": "教育"})
        assert response.status_code == 200
    _assert_limited(client.get("/api/search/suggest", {"q": "教育"}), api=True)


def test_switched_off_nothing_is_limited(limits):
    limits.RATE_LIMITS_ENABLED = False
    client = Client()
    for index in range(LIMIT * 3):
        assert _register_api(client, f"load{index}").status_code == 201
        assert client.get("/api/search/suggest", {"q": "x"}).status_code == 200


def _seconds_to_midnight() -> float:
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight + timedelta(days=1) - now).total_seconds()


def _quota(value: int) -> None:
    from wenku.core.selectors import site_settings_get

    row = site_settings_get()
    row.uploads_per_day = value
    row.save()


def _upload_api(client: Client, token: str, index: int):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/api/documents",
        {
            "file": SimpleUploadedFile(
                f"说明{index}.txt", TEXT_FILE.replace(b"{}", str(index).encode())
            ),
            "agree": "true",
        },
        headers={"Authorization": f"Bearer {token}"},
    )


def test_daily_upload_quota_api(limits, make_user):
    from wenku.accounts.services import api_token_create
    from wenku.documents.models import Document

    _quota(LIMIT)
    member = make_user("uploader")
    token = api_token_create(user=member)
    client = Client()
    for index in range(LIMIT):
        assert _upload_api(client, token, index).status_code == 201
    response = _upload_api(client, token, 99)
    assert response.status_code == 429
    assert abs(int(response["Retry-After"]) - _seconds_to_midnight()) <= 5
    assert response.json() == {
        "message": f"今天已上传 {LIMIT} 份文档，达到每日 {LIMIT} 份的上限，请明天再上传。"
        f" / You uploaded {LIMIT} documents today, the daily limit of {LIMIT}:"
        " please upload again tomorrow."
    }
    assert Document.objects.filter(uploader=member).count() == LIMIT
    # Yesterday's uploads do not count.
    Document.objects.filter(uploader=member).update(
        created_at=timezone.now() - timedelta(days=1, hours=1)
    )
    assert _upload_api(client, token, 100).status_code == 201
    # 0 means no quota.
    _quota(0)
    for index in range(200, 200 + LIMIT + 1):
        assert _upload_api(client, token, index).status_code == 201


def test_daily_upload_quota_web(limits, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wenku.documents.models import Document

    _quota(2)
    member = make_user("webuploader")
    client = Client()
    client.force_login(member)
    files = [
        SimpleUploadedFile(
            f"说明{index}.txt", TEXT_FILE.replace(b"{}", str(index).encode())
        )
        for index in range(3)
    ]
    response = client.post(
        "/upload/",
        {"files": files, "agree": "on", "price": "0", "free_pages": "5"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 429
    assert abs(int(response["Retry-After"]) - _seconds_to_midnight()) <= 5
    results = json.loads(response.content)["results"]
    assert [result["ok"] for result in results] == [True, True, False]
    assert results[2]["code"] == "quota"
    assert Document.objects.filter(uploader=member).count() == 2
    # An operator's import is not a member's upload: no quota.
    from wenku.documents.services import document_upload

    document_upload(
        uploader=member,
        file_name="导入.txt",
        data="运维导入的文档内容。".encode(),
        copyright_declared=True,
        enforce_quota=False,
    )
    assert Document.objects.filter(uploader=member).count() == 3
