"""Lockout after repeated failures (django-axes), token expiry and revocation."""

import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wenku.accounts.models import ApiToken
from wenku.accounts.services import api_token_create

LOCKED = "登录失败次数过多，已暂时锁定，请 15 分钟后再试。"
LOCKED_EN = "Too many failed logins: locked, try again in 15 minutes."


def _web_login(client: Client, username: str, password: str):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}
    )


def _api_token(client: Client, username: str, password: str):
    return client.post(
        "/api/auth/token",
        data=json.dumps({"username": username, "password": password}),
        content_type="application/json",
    )


def _bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.mark.django_db
def test_web_login_locks_after_limit_and_refuses_the_right_password(
    client, make_user, settings
):
    user = make_user("laozhao")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _web_login(client, "laozhao", "wrong").status_code == 200
    response = _web_login(client, "laozhao", "wrong")
    assert response.status_code == 429

    response = _web_login(client, "laozhao", user.raw_password)
    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert LOCKED in html
    assert LOCKED_EN in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_counts_per_address_across_accounts(client, make_user, settings):
    user = make_user("laozhao")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _web_login(client, f"nobody{n}", "wrong")
    assert _web_login(client, "laozhao", user.raw_password).status_code == 429


@pytest.mark.django_db
def test_token_endpoint_locks_after_limit_with_json_message(
    client, make_user, settings
):
    user = make_user("laozhao")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _api_token(client, "laozhao", "wrong").status_code == 401
    assert AccessAttempt.objects.get(username="laozhao").failures_since_start == (
        settings.AXES_FAILURE_LIMIT - 1
    )
    assert _api_token(client, "laozhao", "wrong").status_code == 429

    response = _api_token(client, "laozhao", user.raw_password)
    assert response.status_code == 429
    assert response.json() == {"message": f"{LOCKED} / {LOCKED_EN}"}
    assert response["Retry-After"] == "900"
    assert not ApiToken.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_lockout_failure_limit_and_minutes_follow_settings(client, make_user, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=3)
    user = make_user("laozhao")
    _api_token(client, "laozhao", "wrong")
    _api_token(client, "laozhao", "wrong")
    response = _api_token(client, "laozhao", user.raw_password)
    assert response.status_code == 429
    assert "请 3 分钟后再试" in response.json()["message"]


@pytest.mark.django_db
def test_admin_reset_lets_the_member_in_again(client, make_user, settings):
    user = make_user("laozhao")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _web_login(client, "laozhao", "wrong")
    assert _web_login(client, "laozhao", user.raw_password).status_code == 429

    call_command("axes_reset")

    assert _web_login(client, "laozhao", user.raw_password).status_code == 302
    assert _api_token(client, "laozhao", user.raw_password).status_code == 200


@pytest.mark.django_db
def test_admin_lists_access_attempts_for_unlocking(client, make_user, settings):
    admin = make_user("boss", is_staff=True, is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _api_token(client, "laozhao", "wrong")
    staff = Client()
    staff.force_login(admin)
    response = staff.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200
    assert "laozhao" in response.content.decode()


@pytest.mark.django_db
def test_token_answer_carries_its_expiry(client, make_user, settings):
    user = make_user("laozhao")
    response = _api_token(client, "laozhao", user.raw_password)
    assert response.status_code == 200
    row = ApiToken.objects.get(user=user)
    lifetime = row.expires_at - row.created_at
    assert abs(lifetime - timedelta(days=settings.API_TOKEN_DAYS)) < timedelta(
        seconds=1
    )
    assert response.json()["expires"].startswith(row.expires_at.strftime("%Y-%m-%d"))


@pytest.mark.django_db
def test_expired_token_gets_401(make_user):
    user = make_user("laozhao")
    secret = api_token_create(user=user)
    assert _bearer(secret).get("/api/auth/tokens").status_code == 200
    ApiToken.objects.filter(user=user).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert _bearer(secret).get("/api/auth/tokens").status_code == 401


@pytest.mark.django_db
def test_delete_revokes_the_token_used(make_user):
    user = make_user("laozhao")
    secret = api_token_create(user=user)
    other = api_token_create(user=user)
    response = _bearer(secret).delete("/api/auth/token")
    assert response.status_code == 204
    assert _bearer(secret).get("/api/auth/tokens").status_code == 401
    assert _bearer(other).get("/api/auth/tokens").status_code == 200


@pytest.mark.django_db
def test_token_list_shows_exactly_the_callers_tokens_without_secrets(make_user):
    user = make_user("laozhao")
    secret = api_token_create(user=user)
    api_token_create(user=user)
    api_token_create(user=make_user("laoqian"))
    response = _bearer(secret).get("/api/auth/tokens")
    assert response.status_code == 200
    body = response.json()
    mine = ApiToken.objects.filter(user=user)
    assert sorted(item["id"] for item in body) == sorted(row.pk for row in mine)
    assert all(set(item) == {"id", "created", "expires", "last_used"} for item in body)
    assert secret not in response.content.decode()
    first, second = mine.order_by("pk")
    assert (first.last_used_at is not None, second.last_used_at) == (True, None)


@pytest.mark.django_db
def test_password_change_revokes_all_tokens(client, make_user):
    user = make_user("laozhao")
    secrets = [api_token_create(user=user) for _ in range(2)]
    kept = api_token_create(user=make_user("laoqian"))
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": user.raw_password,
            "new_password1": "New-pass-2025!",
            "new_password2": "New-pass-2025!",
        },
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=user).exists()
    for secret in secrets:
        assert _bearer(secret).get("/api/auth/tokens").status_code == 401
    assert _bearer(kept).get("/api/auth/tokens").status_code == 200


@pytest.mark.django_db
def test_member_center_lists_and_revokes_tokens(client, make_user):
    user = make_user("laozhao")
    api_token_create(user=user)
    api_token_create(user=make_user("laoqian"))
    row = ApiToken.objects.get(user=user)
    client.force_login(user)
    html = client.get(reverse("accounts:tokens")).content.decode()
    assert reverse("accounts:token_revoke", args=[row.pk]) in html
    assert html.count("<tr>") == 1  # the one token of this member

    other = ApiToken.objects.exclude(user=user).get()
    client.post(reverse("accounts:token_revoke", args=[other.pk]))
    assert ApiToken.objects.filter(pk=other.pk).exists()
    response = client.post(reverse("accounts:token_revoke", args=[row.pk]))
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=row.pk).exists()
