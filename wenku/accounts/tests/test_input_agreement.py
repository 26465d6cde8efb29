"""Sign-up: the form and POST /api/auth/register refuse the same input alike.

Both call user_create, whose messages are Django's own (translated) for the name and
password rules, so the pages keep the wording members know.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from wenku.accounts.models import User

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Lan-tian-2024!"

# (what is wrong, username, display name, password, messages in order)
BAD_SIGN_UPS = [
    ("name taken", "taken", "", GOOD_PASSWORD, ["已存在一位使用该名字的用户。"]),
    (
        "name taken in other case",
        "TAKEN",
        "",
        GOOD_PASSWORD,
        ["已存在一位使用该名字的用户。"],
    ),
    ("no name", "", "", GOOD_PASSWORD, ["此字段不能为空。"]),
    (
        "name with spaces",
        "two words",
        "",
        GOOD_PASSWORD,
        [
            "请输入合法的用户名。只能包含英文字母、数字、特殊字符“@”、“.”、“-”和“_”。",
        ],
    ),
    (
        "name too long",
        "n" * 151,
        "",
        GOOD_PASSWORD,
        ["确保该变量包含不超过 150 字符 (目前字符数 151)。"],
    ),
    (
        "nickname too long",
        "nick",
        "昵" * 41,
        GOOD_PASSWORD,
        ["确保该变量包含不超过 40 字符 (目前字符数 41)。"],
    ),
    (
        "weak password",
        "weak",
        "",
        "12345678",
        ["这个密码太常见了。", "密码只包含数字。"],
    ),
    (
        "no password",
        "nopass",
        "",
        "",
        ["请设置密码 / Choose a password"],
    ),
    (
        "password too long",
        "longpass",
        "",
        "p" * 4097,
        ["密码不能超过 4096 个字符 / The password must be at most 4096 characters"],
    ),
]


@pytest.mark.parametrize(
    ("case", "username", "display_name", "password", "messages"), BAD_SIGN_UPS
)
def test_sign_up_refused_alike(
    client, make_user, case, username, display_name, password, messages
):
    make_user("taken")
    form = client.post(
        reverse("accounts:register"),
        {
            "username": username,
            "display_name": display_name,
            "password1": password,
            "password2": password,
        },
    )
    api = client.post(
        "/api/auth/register",
        {"username": username, "password": password, "display_name": display_name},
        content_type="application/json",
    )
    shown = [str(m) for ms in form.context["form"].errors.values() for m in ms]
    assert (form.status_code, shown) == (200, messages), case
    assert (api.status_code, api.json()) == (400, {"message": " ".join(messages)})
    assert list(User.objects.values_list("username", flat=True)) == ["taken"]


def test_sign_up_name_is_normalised_alike(client):
    """Surrounding spaces go and full-width letters fold (NFKC), in both."""
    form = client.post(
        reverse("accounts:register"),
        {
            "username": "  ｘｉａｏ  ",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
    )
    api = client.post(
        "/api/auth/register",
        {"username": "  ｄａ  ", "password": GOOD_PASSWORD},
        content_type="application/json",
    )
    assert (form.status_code, api.status_code) == (302, 201)
    assert sorted(User.objects.values_list("username", flat=True)) == ["da", "xiao"]
