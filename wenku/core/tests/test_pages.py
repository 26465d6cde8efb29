import pytest
from django.test import override_settings
from django.urls import reverse

from wenku.core.models import Category, SiteSettings


@pytest.mark.django_db
def test_home_page_is_chinese_and_lists_categories(client, categories):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "应用文书" in html
    assert "汇报体会" in html
    assert 'name="q"' in html


@pytest.mark.django_db
def test_language_switch_to_english(client, categories):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert ">Search<" in html


@pytest.mark.django_db
def test_footer_comes_from_site_settings(client, categories):
    SiteSettings.objects.create(
        site_name="测试文库", icp_number="京ICP备12345678号", contacts="客服QQ:10001"
    )
    html = client.get("/").content.decode()
    assert "京ICP备12345678号" in html
    assert "客服QQ:10001" in html
    assert "测试文库" in html


@pytest.mark.django_db
def test_category_page_has_breadcrumb(client, categories):
    child = Category.objects.get(slug="huibao-tihui")
    html = client.get(child.get_absolute_url()).content.decode()
    assert "当前位置" in html
    assert (
        '<a href="/c/yingyong-wenshu/">应用文书</a> &gt; <a href="/c/huibao-tihui/">汇报体会</a>'
        in html
    )


@pytest.mark.django_db
def test_unknown_category_is_404(client, categories):
    assert client.get("/c/no-such-thing/").status_code == 404


def test_category_tree_is_ordered(categories):
    root = Category.objects.get(slug="yingyong-wenshu")
    assert [c.name for c in root.children.all()][:2] == ["汇报体会", "工作总结"]
    assert [c.name for c in Category.objects.get(slug="huibao-tihui").ancestors()] == [
        "应用文书",
        "汇报体会",
    ]


@pytest.mark.django_db
def test_production_mode_refuses_unsafe_settings():
    from django.core.checks import run_checks

    # The check reads settings (SECRET_KEY_FROM_ENV: WENKU_SECRET_KEY was set), not
    # the environment.
    with override_settings(
        PRODUCTION=True,
        DEBUG=True,
        ALLOWED_HOSTS=["127.0.0.1"],
        SECRET_KEY_FROM_ENV=False,
    ):
        ids = {e.id for e in run_checks(include_deployment_checks=True)}
    assert {"wenku.E001", "wenku.E002", "wenku.E003"} <= ids


@pytest.mark.django_db
def test_production_mode_accepts_safe_settings():
    from django.core.checks import run_checks

    with override_settings(
        PRODUCTION=True,
        DEBUG=False,
        ALLOWED_HOSTS=["wenku.example.org"],
        SECRET_KEY="x" * 60,
        SECRET_KEY_FROM_ENV=True,
    ):
        ids = {e.id for e in run_checks(include_deployment_checks=True)}
    assert not {i for i in ids if i.startswith("wenku.")}


@pytest.mark.django_db
def test_healthz_reports_database(client):
    data = client.get("/healthz").json()
    assert data["ok"] is True
    assert data["database"] in {"sqlite", "postgresql"}


@pytest.mark.django_db
def test_english_browser_still_gets_chinese_until_switch(client, categories):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-CN">' in html
    assert ">搜索<" in html


@pytest.mark.django_db
def test_seed_demo_creates_categories_admin_and_masked_demo_member(capsys):
    from django.core.management import call_command

    from wenku.accounts.models import User

    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "admin user created — password (shown once): " in out
    demo = User.objects.get(username="demo")
    assert (demo.display_name, demo.public_name) == ("一叶知秋", "一***")
    assert User.objects.get(username="admin").is_superuser
    assert Category.objects.get(slug="huibao-tihui").parent.name == "应用文书"
    call_command("seed_demo")  # idempotent: no second admin, no password printed again
    assert "password (shown once)" not in capsys.readouterr().out
    assert User.objects.filter(username="admin").count() == 1
