"""The anonymous page cache: hits skip Django, and every change shows at once."""

from __future__ import annotations

import io
import sys
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from wenku.core import pagecache
from wenku.core.models import Category, SiteSettings
from wenku.core.pagecache.wsgi import wrap
from wenku.core.selectors import site_settings_get
from wenku.documents.models import Document
from wenku.documents.services import document_unlist, document_update, views_flush
from wenku.moderation.services import document_restore, document_take_down
from wenku.search import public as search
from wenku.search.services import related_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_settings(db):
    """The settings row exists (created on first read, which invalidates)."""
    site_settings_get()


@pytest.fixture
def app():
    """The served application; like the test client, it keeps the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield wrap(WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _wsgi_get(app, path: str, **headers: str) -> tuple[str, dict[str, str], bytes]:
    environ: dict = {"PATH_INFO": path, "REQUEST_METHOD": "GET", **headers}
    setup_testing_defaults(environ)
    environ["wsgi.errors"] = sys.stderr
    environ["wsgi.input"] = io.BytesIO()
    found: dict = {}

    def start_response(status, response_headers, exc_info=None):
        found["status"], found["headers"] = status, dict(response_headers)

    body = b"".join(app(environ, start_response))
    return found["status"], found["headers"], body


def _raw_title(document: Document, title: str) -> None:
    """A write behind the services' back: nothing invalidates it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE documents_document SET title = %s WHERE id = %s",
            [title, document.pk],
        )


def test_a_hit_runs_no_query_counts_the_view_and_revalidates_with_304(
    app, make_document, settings
):
    settings.VIEW_FLUSH_SECONDS = 3600  # views batched, as in production
    document = make_document(title="缓存命中的文档")
    path = document.get_absolute_url()
    status, headers, first = _wsgi_get(app, path)
    assert status.startswith("200") and "缓存命中的文档" in first.decode()
    etag = headers["ETag"]
    assert headers["Cache-Control"] == "max-age=0, must-revalidate"
    assert "Cookie" in headers["Vary"] and "Set-Cookie" not in headers
    with CaptureQueriesContext(connection) as queries:
        status, _headers, again = _wsgi_get(app, path)
    assert status.startswith("200") and again == first
    # Nothing but the tag versions, which live in the database cache when the
    # versions are shared and the cache is the database (PostgreSQL without Redis).
    assert [q for q in queries.captured_queries if "wenku_cache" not in q["sql"]] == []
    assert views_flush() == 2  # the hit still counted as a view
    assert Document.objects.get(pk=document.pk).views == 2
    status, headers, body = _wsgi_get(app, path, HTTP_IF_NONE_MATCH=etag)
    assert (status, body, headers["ETag"]) == ("304 Not Modified", b"", etag)


def test_the_cache_really_answers_and_the_uploader_bypasses_it(client, make_document):
    document = make_document(title="原来的标题")
    path = document.get_absolute_url()
    assert "原来的标题" in client.get(path).content.decode()
    _raw_title(document, "绕过服务改的标题")
    assert "原来的标题" in client.get(path).content.decode()  # served from memory
    client.force_login(document.uploader)
    assert "绕过服务改的标题" in client.get(path).content.decode()


def test_language_is_part_of_the_key(client, make_document):
    document = make_document(title="双语文档")
    path = document.get_absolute_url()
    assert 'lang="zh-CN"' in client.get(path).content.decode()
    client.get("/lang/?language=en&next=/")
    assert 'lang="en"' in client.get(path).content.decode()


def _edit(document: Document, **changes) -> None:
    values = {
        "title": document.title,
        "description": document.description,
        "tags": document.tags,
        "category": document.category,
        "price": document.price,
        "free_pages": document.free_pages,
        **changes,
    }
    document_update(document=document, by=document.uploader, **values)


def test_edits_show_on_the_next_anonymous_request(client, make_document, categories):
    category = Category.objects.filter(parent__isnull=False).first()
    document = make_document(title="旧标题文档", price=3, category=category)
    pages = [document.get_absolute_url(), "/", category.get_absolute_url()]
    for path in pages:
        assert "旧标题文档" in client.get(path).content.decode()
    _edit(document, title="新标题文档", price=37)
    for path in pages:
        body = client.get(path).content.decode()
        assert "新标题文档" in body and "旧标题文档" not in body, path
    assert "下载价格 37 积分" in client.get(pages[0]).content.decode()


def test_takedown_restore_and_unlist_show_at_once(client, make_document, make_user):
    document = make_document(title="要下架的文档")
    path = document.get_absolute_url()
    assert client.get(path).status_code == 200
    assert "要下架的文档" in client.get("/").content.decode()
    moderator = make_user(is_staff=True)
    document_take_down(document=document, by=moderator, note="侵权")
    assert client.get(path).status_code == 410
    assert "要下架的文档" not in client.get("/").content.decode()
    document_restore(document=document, by=moderator, note="反通知")
    assert client.get(path).status_code == 200
    document.refresh_from_db()
    document_unlist(document=document, by=document.uploader)
    assert client.get(path).status_code == 404


def test_site_settings_and_category_names_show_at_once(
    client, make_document, categories
):
    category = Category.objects.filter(parent__isnull=False).first()
    document = make_document(title="站点设置测试", category=category)
    path = document.get_absolute_url()
    client.get(path)
    client.get("/")
    site = site_settings_get()
    site.site_name = "新站名文库"
    site.save()
    assert "新站名文库" in client.get(path).content.decode()
    assert "新站名文库" in client.get("/").content.decode()
    category.name = "改名后的分类"
    category.save()
    assert "改名后的分类" in client.get(path).content.decode()
    assert SiteSettings.objects.count() == 1


def test_a_new_document_and_new_related_documents_show_at_once(client, make_document):
    text = ["教育工作会议讲话稿，全面加强学校教育工作。" * 5]
    first = make_document(title="教育工作会议讲话", pages=text)
    search.index_document(first)
    path = first.get_absolute_url()
    assert "第二份教育工作会议讲话" not in client.get(path).content.decode()
    client.get("/")
    second = make_document(title="第二份教育工作会议讲话", pages=text)
    search.index_document(second)
    assert "第二份教育工作会议讲话" in client.get("/").content.decode()
    related_refresh(document=first)
    assert "第二份教育工作会议讲话" in client.get(path).content.decode()


def test_a_render_overtaken_by_a_change_is_not_kept(client, make_document, monkeypatch):
    """A change committed while a page renders: the rendered page is not stored."""
    document = make_document(title="渲染中被改")
    path = document.get_absolute_url()
    real = pagecache.store_response

    def change_meanwhile(request, response, key):
        pagecache.invalidate(pagecache.document_tag(document.pk))
        return real(request, response, key)

    monkeypatch.setattr(pagecache, "store_response", change_meanwhile)
    client.get(path)
    assert len(pagecache.store) == 0


def test_a_change_elsewhere_during_a_render_does_not_void_it(
    client, make_document, monkeypatch, tmp_path
):
    """Only the page's own tags matter: another document's change (a download
    elsewhere, an upload) while this page renders leaves it kept. (One machine's
    versions; the shared ones answer conservatively, any change.)"""
    from wenku.core.pagecache.versions import LocalVersions

    monkeypatch.setattr(pagecache, "_versions", [LocalVersions(tmp_path / "stamps")])
    document, other = make_document(title="渲染中"), make_document(title="别处")
    real = pagecache.store_response

    def change_elsewhere(request, response, key):
        pagecache.invalidate(pagecache.document_tag(other.pk))
        return real(request, response, key)

    monkeypatch.setattr(pagecache, "store_response", change_elsewhere)
    client.get(document.get_absolute_url())
    assert len(pagecache.store) == 1


def test_requests_for_a_stale_page_wait_for_one_render(client, make_document):
    import threading

    document = make_document(title="同时到达")
    path = document.get_absolute_url()
    client.get(path)
    key = next(iter(pagecache.store._entries))
    pagecache.store.discard(key)  # gone stale
    order: list[str] = []
    with pagecache.store.one_render(key) as first:
        assert first
        waiter = threading.Thread(
            target=lambda: order.append(
                "waited" if not pagecache.store.one_render(key).__enter__() else "x"
            )
        )
        waiter.start()
        waiter.join(0.2)
        assert waiter.is_alive()  # held while the first render runs
        order.append("rendered")
    waiter.join(5)
    assert order == ["rendered", "waited"]


def test_a_member_gets_the_cached_page_with_their_own_parts(
    client, make_document, make_user
):
    document = make_document(title="会员看的文档", price=5, pages=["甲", "乙", "丙"])
    path = document.get_absolute_url()
    client.get(path)  # an anonymous visit keeps the page
    _raw_title(document, "绕过服务改的标题")
    member = make_user()
    client.force_login(member)
    body = client.get(path).content.decode()
    # The kept page (old title), with the member's header and favourite form.
    assert "会员看的文档" in body
    assert "退出" in body and "登录" not in body
    assert 'data-action="favorite"' in body and "已收藏" not in body
    client.post(f"/documents/{document.number}/favorite/")
    body = client.get(path).content.decode()
    assert body.count("已收藏") == 2  # the flash message and the button
    # The uploader reads every page: never the anonymous page.
    client.force_login(document.uploader)
    assert "绕过服务改的标题" in client.get(path).content.decode()


def test_members_alone_fill_the_cache_and_count_one_view(
    client, make_document, make_user
):
    views_flush()  # views an earlier test left in this process's tally
    document = make_document(title="只有会员来看", price=5, pages=["甲", "乙", "丙"])
    path = document.get_absolute_url()
    client.force_login(make_user())
    body = client.get(path).content.decode()  # no anonymous visit before
    assert "只有会员来看" in body and "退出" in body
    _raw_title(document, "绕过服务改的标题")
    # The page was rendered once as a visitor would see it and kept for everyone.
    assert "只有会员来看" in client.get(path).content.decode()
    client.logout()
    anonymous = client.get(path).content.decode()
    assert "只有会员来看" in anonymous and "退出" not in anonymous
    views_flush()
    document.refresh_from_db()
    assert document.views == 3  # the first member visit, the second, the visitor


def test_what_a_member_holds_shows_on_their_next_request(
    client, make_document, make_user
):
    from wenku.notifications.services import notifications_mark_read, notify
    from wenku.wallet.models import Purchase
    from wenku.wallet.services import purchase_create, purchase_refund, wallet_grant

    document = make_document(
        title="买前买后", price=5, free_pages=1, pages=["甲页", "乙页"]
    )
    path = document.get_absolute_url()
    member, staff = make_user(), make_user(is_staff=True)
    client.force_login(member)
    body = client.get(path).content.decode()
    assert "data-unread-count" not in body
    assert "还剩 1 页未读" in body
    notify(user=member, kind="test", title="一条消息")
    body = client.get(path).content.decode()
    assert '<span class="badge" data-unread-count>1</span>' in body
    notifications_mark_read(user=member)
    assert "data-unread-count" not in client.get(path).content.decode()
    wallet_grant(user=member, amount=5, reason="测试", by=staff)
    purchase_create(buyer=member, document=document, idempotency_key="held-1")
    body = client.get(path).content.decode()
    assert "还剩" not in body  # every page is theirs now
    purchase = Purchase.objects.get(buyer=member, document=document)
    purchase_refund(purchase=purchase, by=staff, reason="测试退款")
    body = client.get(path).content.decode()
    assert "还剩 1 页未读" in body


def test_a_takedown_reaches_a_member_served_from_the_cache(
    client, make_document, make_user
):
    document = make_document(title="会员也看不到", price=5)
    path = document.get_absolute_url()
    client.force_login(make_user())
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200  # from the remembered document
    document_take_down(document=document, by=make_user(is_staff=True), note="侵权成立")
    assert client.get(path).status_code == 410


def test_work_on_unpublished_documents_leaves_listings_kept(client, make_document):
    """Leases, progress and other writes to a document nobody lists do not void the
    home page; a published one's change does."""
    from wenku.documents.models import DocumentStatus

    shown = make_document(title="首页上的文档")
    busy = make_document(title="转换中", status=DocumentStatus.PROCESSING)
    client.get("/")
    _raw_title(shown, "绕过服务改的标题")
    Document.objects.filter(pk=busy.pk).update(progress_stage="render")
    busy = Document.objects.get(pk=busy.pk)
    busy.rendered_pages = 1
    busy.save()
    assert "首页上的文档" in client.get("/").content.decode()  # still the kept page
    busy.status = DocumentStatus.PUBLISHED  # published now: listings change
    busy.save()
    assert "绕过服务改的标题" in client.get("/").content.decode()
