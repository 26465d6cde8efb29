"""What readers are told about near-copies: the document page's provenance (how
many similar versions, which is the original, by whom and when, with links), kept
right in cached anonymous pages, and the API's ``cluster`` field."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from wenku.documents.models import DocumentStatus
from wenku.documents.services import document_set_status
from wenku.documents.services.near_duplicates import (
    near_duplicate_check,
    near_duplicate_record,
)
from wenku.search import minhash
from wenku.search.tests import zh_text

pytestmark = pytest.mark.django_db

BASE = zh_text.sentences(1, 60)
EDITED = zh_text.edited(BASE, every=20, seed=2)
FIRST_DAY = timezone.make_aware(datetime(2022, 4, 28, 9, 0))


def _pages(paragraphs: list[str]) -> list[str]:
    return ["\n".join(paragraphs[i : i + 20]) for i in range(0, len(paragraphs), 20)]


@pytest.fixture
def near_copy(make_document, make_user):
    """A published document indexed for near-copies as publication does it, one
    day after the one before."""
    made = {"n": 0}

    def _make(paragraphs: list[str], *, title: str, name: str, **extra):
        uploader = make_user(name, display_name=name)
        document = make_document(
            title=title, pages=_pages(paragraphs), uploader=uploader, **extra
        )
        document.published_at = FIRST_DAY + timedelta(days=made["n"])
        document.save(update_fields=["published_at"])
        made["n"] += 1
        with transaction.atomic():
            check = near_duplicate_check(document, minhash.signature(document.text))
            near_duplicate_record(document=document, check=check)
        document.refresh_from_db()
        return document

    return _make


def _raw_title(document, title: str) -> None:
    """A write behind the services' back: nothing invalidates it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE documents_document SET title = %s WHERE id = %s",
            [title, document.pk],
        )


def test_the_page_names_the_original_and_links_every_version(client, near_copy):
    original = near_copy(BASE, title="教育工作实施意见", name="王老师")
    copy = near_copy(EDITED, title="教育工作实施意见修改稿", name="李同学")
    excerpt = near_copy(BASE[:18], title="实施意见节选", name="张三")
    original.refresh_from_db()
    assert original.cluster_id == copy.cluster_id == excerpt.cluster_id is not None

    page = client.get(copy.get_absolute_url()).content.decode()
    assert 'data-cluster="3"' in page
    assert "共 3 个相似版本（含本文档）" in page
    assert (
        f'原始文档：<a href="{original.get_absolute_url()}" '
        f'data-original="{original.number}">教育工作实施意见.docx</a>'
        "（上传人：王***，2022-04-28）"
    ) in page
    assert f'<li data-similar="{original.number}">' in page
    assert f'<li data-similar="{excerpt.number}">' in page
    assert f'<li data-similar="{copy.number}">' not in page  # itself
    assert "张*** · 2022-04-30" in page

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(copy.get_absolute_url()).content.decode()
    assert "3 similar versions, this one included" in english
    assert (
        f'Original: <a href="{original.get_absolute_url()}" '
        f'data-original="{original.number}">教育工作实施意见.docx</a>'
        " (Uploader: 王***, 2022-04-28)"
    ) in english
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    own = client.get(original.get_absolute_url()).content.decode()
    assert (
        f'<span data-original="{original.number}">本文档是其中最早发布的原始文档' in own
    )
    assert "王*** · 2022-04-28" not in own  # not listed among its own versions


def test_a_document_alone_says_nothing(client, near_copy):
    alone = near_copy(BASE, title="独立文档", name="王老师")
    other = near_copy(zh_text.sentences(8, 60), title="另一份文档", name="李同学")
    for document in (alone, other):
        page = client.get(document.get_absolute_url()).content.decode()
        assert "data-cluster" not in page
        assert document.cluster_id is None


def test_cached_pages_show_a_new_version_and_a_takedown_at_once(
    client, near_copy, make_user
):
    original = near_copy(BASE, title="教育工作实施意见", name="王老师")
    copy = near_copy(EDITED, title="修改稿", name="李同学")
    path = original.get_absolute_url()
    assert 'data-cluster="2"' in client.get(path).content.decode()
    _raw_title(original, "改过的标题")  # unseen while the page is cached
    assert "改过的标题" not in client.get(path).content.decode()

    near_copy(BASE[:18], title="节选", name="张三")
    page = client.get(path).content.decode()
    assert 'data-cluster="3"' in page

    document_set_status(document=copy, status=DocumentStatus.TAKEN_DOWN)
    assert 'data-cluster="2"' in client.get(path).content.decode()


def test_the_api_gives_the_cluster_or_null(client, near_copy):
    original = near_copy(BASE, title="原稿", name="王老师")
    alone = near_copy(zh_text.sentences(8, 60), title="另一份", name="赵六")
    assert client.get(f"/api/documents/{alone.number}").json()["cluster"] is None
    assert client.get(f"/api/documents/{original.number}").json()["cluster"] is None

    copy = near_copy(EDITED, title="修改稿", name="李同学", price=3)
    for document in (original, copy):
        answer = client.get(f"/api/documents/{document.number}").json()
        assert answer["cluster"] == {"original": original.number, "size": 2}

    document_set_status(document=original, status=DocumentStatus.UNLISTED)
    # The original left the site: the copy is alone (for readers) again.
    assert client.get(f"/api/documents/{copy.number}").json()["cluster"] is None
