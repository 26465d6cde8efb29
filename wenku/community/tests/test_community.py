"""Uploader profiles, following, the followed feed and the reading position."""

from __future__ import annotations

import json

import pytest

from wenku.community.models import Follow, ReadingPosition
from wenku.documents.models import DocumentStatus

pytestmark = pytest.mark.django_db


def test_profile_shows_masked_name_published_documents_and_counts(
    client, make_user, make_document
):
    uploader = make_user("qiushui", display_name="秋水长天")
    shown = make_document(title="公开的讲话稿", uploader=uploader)
    make_document(
        title="还在转换的稿子", uploader=uploader, status=DocumentStatus.PROCESSING
    )
    shown.downloads = 7
    shown.save(update_fields=["downloads"])
    Follow.objects.create(follower=make_user(), uploader=uploader)
    html = client.get(f"/u/{uploader.public_id}/").content.decode()
    assert "<h1>秋***</h1>" in html
    assert "秋水长天" not in html and "qiushui" not in html
    assert "公开的讲话稿.docx" in html and "还在转换的稿子" not in html
    assert '<b data-count="documents">1</b>' in html
    assert '<b data-count="downloads">7</b>' in html
    assert '<b data-count="followers">1</b>' in html


def test_missing_or_closed_member_is_a_branded_404(client, make_user):
    closed = make_user(is_active=False)
    for path in ("/u/123/", f"/u/{closed.public_id}/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "error-page" in response.content.decode()


def test_follow_unfollow_and_the_feed(client, make_user, make_document):
    uploader, reader = make_user(), make_user()
    client.force_login(reader)
    response = client.post(f"/u/{uploader.public_id}/follow/", {"follow": "1"})
    assert response.status_code == 302
    assert Follow.objects.filter(follower=reader, uploader=uploader).count() == 1
    client.post(f"/u/{uploader.public_id}/follow/", {"follow": "1"})  # twice: one row
    assert Follow.objects.filter(follower=reader, uploader=uploader).count() == 1
    make_document(title="关注后的新文档", uploader=uploader)
    make_document(title="别人的文档")
    feed = client.get("/me/following/").content.decode()
    assert "关注后的新文档.docx" in feed and "别人的文档" not in feed
    client.post(f"/u/{uploader.public_id}/follow/", {"follow": "0"})
    assert not Follow.objects.filter(follower=reader).exists()
    assert "关注后的新文档" not in client.get("/me/following/").content.decode()


def test_following_yourself_is_refused_with_a_message(client, make_user):
    member = make_user()
    client.force_login(member)
    response = client.post(f"/u/{member.public_id}/follow/", follow=True)
    assert "不能关注自己 / You cannot follow yourself" in response.content.decode()
    assert not Follow.objects.exists()


def test_reading_position_kept_per_member_and_document(
    client, make_user, make_document
):
    member = make_user()
    document = make_document(pages=["一", "二", "三", "四"], free_pages=3)
    url = f"/documents/{document.number}/position.json"
    assert json.loads(client.get(url).content) == {"member": False, "page": None}
    assert client.post(url, {"page": "2"}).status_code == 403
    client.force_login(member)
    assert json.loads(client.get(url).content) == {"member": True, "page": None}
    assert json.loads(client.post(url, {"page": "3"}).content)["page"] == 3
    assert json.loads(client.post(url, {"page": "2"}).content)["page"] == 2
    assert ReadingPosition.objects.get(user=member, document=document).page == 2
    assert json.loads(client.get(url).content) == {"member": True, "page": 2}
    for bad in ("4", "0", "x", "", "١", "9" * 30):  # page 4 is past the free pages
        response = client.post(url, {"page": bad})
        assert response.status_code == 400, bad
        assert json.loads(response.content) == {
            "message": "页码应在 1 到 3 之间 / The page must be between 1 and 3"
        }
    assert ReadingPosition.objects.get(user=member, document=document).page == 2


def test_tag_page_lists_published_documents_with_exactly_that_tag(
    client, make_document
):
    tagged = make_document(title="教育讲话")
    tagged.tags = "教育,讲话稿"
    tagged.save(update_fields=["tags"])
    partial = make_document(title="只是相近")
    partial.tags = "教育局"
    partial.save(update_fields=["tags"])
    hidden = make_document(title="未发布的", status=DocumentStatus.PROCESSING)
    hidden.tags = "教育"
    hidden.save(update_fields=["tags"])
    page = client.get(tagged.get_absolute_url()).content.decode()
    assert '<a class="tag" href="/tags/%E6%95%99%E8%82%B2/" rel="tag">教育</a>' in page
    html = client.get("/tags/教育/").content.decode()
    assert "<h1>标签：教育</h1>" in html and "1 篇文档" in html
    assert "教育讲话.docx" in html
    assert "只是相近" not in html and "未发布的" not in html
    assert client.get("/tags/讲话稿/").status_code == 200
    assert "还没有带这个标签的文档。" in client.get("/tags/无人用/").content.decode()
    assert client.get("/tags/" + "长" * 51 + "/").status_code == 404


def test_share_link_and_qr_code_drawn_by_the_site(client, make_document):
    document = make_document()
    html = client.get(document.get_absolute_url()).content.decode()
    address = f"http://testserver/documents/{document.number}/"
    assert f'<input id="share-url" type="text" value="{address}" readonly>' in html
    assert f'src="/documents/{document.number}/qr.svg"' in html
    response = client.get(f"/documents/{document.number}/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "public, max-age=86400"
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns=')
    assert "http" not in body.replace("http://www.w3.org/2000/svg", "")
    hidden = make_document(status=DocumentStatus.PROCESSING)
    assert client.get(f"/documents/{hidden.number}/qr.svg").status_code == 404
