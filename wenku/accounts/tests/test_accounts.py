import pytest
from django.urls import reverse
from django.utils import timezone

from wenku.accounts.models import User, mask_name


def test_mask_name_keeps_first_character():
    assert mask_name("一叶知秋") == "一***"
    assert mask_name("alice") == "a***"
    assert mask_name("") == "***"
    assert mask_name("  王 ") == "王***"


def test_public_name_prefers_display_name():
    assert User(username="zhang", display_name="张三").public_name == "张***"
    assert User(username="zhang").public_name == "z***"


@pytest.mark.django_db
def test_register_logs_in_and_hashes_with_argon2(client):
    response = client.post(
        reverse("accounts:register"),
        {
            "username": "xiaoming",
            "display_name": "小明",
            "password1": "Lan-tian-2024!",
            "password2": "Lan-tian-2024!",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="xiaoming")
    assert user.display_name == "小明"
    assert user.password.startswith("argon2")
    assert client.get(reverse("core:home")).context["user"].username == "xiaoming"


@pytest.mark.django_db
def test_register_existing_name_is_refused_in_chinese(client, make_user):
    make_user("xiaoming")
    response = client.post(
        reverse("accounts:register"),
        {
            "username": "xiaoming",
            "password1": "Lan-tian-2024!",
            "password2": "Lan-tian-2024!",
        },
    )
    assert response.status_code == 200
    assert "已存在一位使用该名字的用户。" in response.content.decode()
    assert User.objects.filter(username="xiaoming").count() == 1


@pytest.mark.django_db
def test_register_weak_password_is_refused_in_chinese(client):
    response = client.post(
        reverse("accounts:register"),
        {"username": "xiaohong", "password1": "12345678", "password2": "12345678"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "这个密码太常见了。" in html
    assert "密码只包含数字。" in html
    assert not User.objects.filter(username="xiaohong").exists()


@pytest.mark.django_db
def test_register_mismatched_confirmation_is_refused_in_chinese(client):
    response = client.post(
        reverse("accounts:register"),
        {
            "username": "xiaohong",
            "password1": "Lan-tian-2024!",
            "password2": "Lan-tian-2025!",
        },
    )
    assert response.status_code == 200
    assert "输入的两个密码不一致。" in response.content.decode()
    assert not User.objects.filter(username="xiaohong").exists()


@pytest.mark.django_db
def test_login_logout_and_change_password(client, make_user):
    user = make_user("laowang", password="Old-pass-2024!")
    response = client.post(
        reverse("accounts:login"), {"username": "laowang", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.content.decode()
    assert (
        client.post(
            reverse("accounts:login"),
            {"username": "laowang", "password": "Old-pass-2024!"},
        ).status_code
        == 302
    )
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Old-pass-2024!",
            "new_password1": "New-pass-2025!",
            "new_password2": "New-pass-2025!",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("New-pass-2025!")
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.django_db
def test_profile_saves_display_name(client, make_user):
    user = make_user("laoli")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "老李", "bio": "教师", "email": ""},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.bio) == ("老李", "教师")


@pytest.mark.django_db
def test_the_login_page_shows_the_sites_name_and_footer(client):
    from wenku.core.models import SiteSettings

    SiteSettings.objects.create(
        site_name="青竹文库", footer_notice="会员分享，侵权必删。"
    )
    html = client.get(reverse("accounts:login")).content.decode()
    # Django's login view puts the request's host under "site"; the page still
    # shows the site settings like every other page.
    assert "<title>登录 - 青竹文库</title>" in html
    assert '<p class="notice">会员分享，侵权必删。</p>' in html
    assert f"© {timezone.now().year} 青竹文库" in html
