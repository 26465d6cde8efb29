"""Error pages are the site's own: branded, bilingual, with a way on."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_the_sites_own_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-error="404"' in html
    assert "页面不存在" in html
    assert 'action="/search"' in html  # a way on: search and the home page
    assert "Not Found" not in html
    assert "<header" in html and "<footer" in html


def test_the_404_in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/no-such-page/").content.decode()
    assert "Page not found" in html
    assert "The page you are looking for does not exist" in html
    assert "页面不存在" not in html


def test_a_missing_document_gets_the_branded_404(client):
    response = client.get("/documents/999999/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_an_expired_form_says_so_instead_of_csrf_jargon(make_user):
    user = make_user("csrf")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": "x"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期" in html
    assert "CSRF" not in html


def test_the_500_page_stands_alone():
    # Rendered without any context: it must not need the database or the session.
    request = RequestFactory().get("/")
    response = defaults.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器出错" in html and "Server error" in html
    assert "/static/wenku/site" in html


def test_permission_denied_is_branded(rf):
    response = defaults.permission_denied(rf.get("/"), exception=None)
    assert response.status_code == 403
    assert "没有访问权限" in response.content.decode()


# --- every error page is the site's layout with a way on, in both languages -------


def _english(client) -> None:
    client.get("/lang/", {"language": "en", "next": "/"})


def _branded(html: str, status: int) -> None:
    assert f'data-error="{status}"' in html
    assert "<header" in html and "<footer" in html  # the site layout
    assert 'href="/" data-home' in html  # a way on: home, back, search
    assert "data-history-back" in html and "/static/wenku/back.js" in html


NOT_FOUND = {"zh-hans": "页面不存在", "en": "Page not found"}
OUT_OF_RANGE = {"zh-hans": "这一页没有结果", "en": "No results on this page"}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_missing_things_answer_the_branded_404(client, language):
    if language == "en":
        _english(client)
    for path in ("/documents/999999/", "/c/no-such-category/", "/u/99999999/"):
        response = client.get(path)
        assert response.status_code == 404, path
        html = response.content.decode()
        _branded(html, 404)
        assert NOT_FOUND[language] in html, path
        assert NOT_FOUND["en" if language == "zh-hans" else "zh-hans"] not in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_page_number_past_the_last_links_to_the_last(
    client, language, categories, make_user, make_document
):
    category = categories.exclude(parent=None).first()
    uploader = make_user()
    document = make_document(title="教育工作讲话", category=category, uploader=uploader)
    document.tags = "教育"
    document.save(update_fields=["tags"])
    if language == "en":
        _english(client)
    cases = {
        f"/c/{category.slug}/?sort=downloads&page=999": "?sort=downloads&page=1",
        "/?format=word&page=51": "?format=word&sort=newest&page=1",
        f"/u/{uploader.public_id}/?page=7": "?page=1",
        "/tags/教育/?page=2": "?page=1",
        "/search?q=教育&page=999": "?q=%E6%95%99%E8%82%B2&page=1",
    }
    for path, last in cases.items():
        response = client.get(path)
        assert response.status_code == 404, path
        html = response.content.decode()
        _branded(html, 404)
        assert OUT_OF_RANGE[language] in html, path
        assert f'href="{last.replace("&", "&amp;")}" data-last-page' in html, path
    # the first page of each is there
    for path in cases:
        assert client.get(path.rsplit("page=", 1)[0]).status_code == 200, path


def test_the_out_of_range_search_page_has_one_search_box(client, make_document):
    make_document(title="教育工作讲话")
    html = client.get("/search?q=教育&page=999").content.decode()
    assert html.count('role="search"') == 1
    assert 'value="教育"' in html  # the header's box keeps the query
    assert "找到" not in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_taken_down_document_answers_the_branded_410(client, language, make_document):
    from wenku.documents.models import DocumentStatus

    document = make_document(status=DocumentStatus.TAKEN_DOWN)
    if language == "en":
        _english(client)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 410
    html = response.content.decode()
    _branded(html, 410)
    assert "data-removed" in html
    heading = {"zh-hans": "该文档已下架", "en": "This document has been removed"}
    assert f"<h1>{heading[language]}</h1>" in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_rate_limit_answers_the_branded_429(client, settings, language):
    from django.core.cache import cache

    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": (1, 3600)}
    cache.clear()
    if language == "en":
        _english(client)
    form = {"username": "a", "password1": "Correct-horse-2024"}
    client.post("/accounts/register/", {**form, "password2": "x"})
    response = client.post("/accounts/register/", {**form, "password2": "x"})
    cache.clear()
    assert response.status_code == 429
    assert response["Retry-After"]
    html = response.content.decode()
    _branded(html, 429)
    heading = {"zh-hans": "操作过于频繁", "en": "Too many requests"}
    assert f"<h1>{heading[language]}</h1>" in html
    # The refusal, with the wait: both languages, English alone in English mode.
    refusal = {
        "zh-hans": "操作过于频繁，请 ",
        "en": "data-error-message>Too many requests: try again in ",
    }
    assert refusal[language] in html
    assert ("/ Too many requests: try again in " in html) is (language == "zh-hans")


def test_the_daily_free_download_limit_answers_the_branded_429(
    client, make_user, make_document
):
    from wenku.wallet.models import WalletRules
    from wenku.wallet.selectors import rules_get

    WalletRules.objects.filter(pk=rules_get().pk).update(free_downloads_per_member=0)
    document = make_document()
    client.force_login(make_user())
    response = client.get(f"/documents/{document.number}/download/")
    assert response.status_code == 429
    html = response.content.decode()
    _branded(html, 429)
    assert "今日免费下载次数已用完" in html


def test_the_500_page_is_the_site_layout_in_english_too(rf):
    from django.utils import translation

    with translation.override("en"):
        html = defaults.server_error(rf.get("/")).content.decode()
    _branded(html, 500)
    assert "<h1>Server error</h1>" in html
    assert "服务器出错" not in html
