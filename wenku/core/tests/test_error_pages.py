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
