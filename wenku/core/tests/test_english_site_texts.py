"""In English the site's own texts are English: the texts a new site starts with
(name, tagline, footer notice), the sandbox label and banner, fixed punctuation, page
and download counts, the reader's and the upload page's script texts, the wallet's
messages and ledger lines, the 资源描述 lead sentence. An admin's own wording is shown
as written in every language."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.messages import get_messages

from wenku.core.models import DEFAULT_FOOTER_NOTICE, SiteSettings
from wenku.core.selectors import site_settings_get
from wenku.wallet.services import purchase_create, wallet_grant, wallet_reward_upload

pytestmark = pytest.mark.django_db

FOOTER_EN = "Documents here are traded C TO C, member to member"


def _english(client) -> None:
    client.get("/lang/", {"language": "en", "next": "/"})


def test_a_new_sites_texts_follow_the_language(client):
    site_settings_get()
    html = client.get("/").content.decode()
    assert '<a class="logo" href="/">文库</a>' in html
    assert "<p>分享知识，共享文档</p>" in html
    assert DEFAULT_FOOTER_NOTICE in html
    _english(client)
    html = client.get("/").content.decode()
    assert '<a class="logo" href="/">Wenku</a>' in html
    assert "<p>Share what you know, find the documents you need</p>" in html
    assert FOOTER_EN in html and DEFAULT_FOOTER_NOTICE not in html
    stored = SiteSettings.objects.get()
    assert (stored.site_name, stored.tagline) == ("文库", "分享知识，共享文档")


def test_an_admins_own_wording_is_shown_as_written(client):
    SiteSettings.objects.create(site_name="知识库", tagline="我们的标语")
    _english(client)
    html = client.get("/").content.decode()
    assert '<a class="logo" href="/">知识库</a>' in html
    assert "<p>我们的标语</p>" in html
    assert FOOTER_EN in html  # the notice was left as it came


def test_the_document_page_in_english(client, make_user, make_document, categories):
    leaf = categories.exclude(parent=None).first()
    one_page = make_document(title="Note", pages=["Only page."], category=leaf)
    document = make_document(title="Speech", price=3, free_pages=1, category=leaf)
    _english(client)
    html = client.get(document.get_absolute_url()).content.decode()
    assert '<p class="breadcrumb">You are here: <a href="/">Home</a>' in html
    assert "“Speech.docx” was shared by a member and can be read online" in html
    assert "search Wenku for more" in html  # the site's name, in English too
    assert '<p class="chunk">1. 第1页的内容。</p>' in html
    assert "3 more pages to read, " in html
    assert 'data-none="No match"' in html and 'data-hit="Page {page} ({count})"' in html
    assert 'data-failed="Search failed"' in html
    listing = client.get(leaf.get_absolute_url()).content.decode()
    assert f"{one_page.display_title}" in listing
    assert "1 page · Free · 0 downloads" in listing
    assert "4 pages · 3 points · 0 downloads" in listing


def test_the_upload_page_scripts_words_in_english(client, make_user):
    client.force_login(make_user())
    _english(client)
    html = client.get("/upload/").content.decode()
    found = re.search(
        r'<script id="upload-texts" type="application/json">(.*?)</script>', html
    )
    texts = json.loads(found.group(1))
    assert texts["stages"]["rendering"] == "Rendering pages"
    assert texts["page_of"] == "page {current}/{total}"
    assert texts["published"] == "Published ({pages} pages)"
    assert texts["agree"] == "Please confirm the copyright declaration"
    assert not re.search(r"[\u4e00-\u9fff]", json.dumps(texts, ensure_ascii=False))


def test_the_wallet_in_english(client, make_user, make_document, settings):
    settings.WALLET_PAYMENT_PROVIDER = "sandbox"
    member = make_user()
    document = make_document(title="Speech", price=5)
    wallet_grant(user=member, amount=9, reason="welcome")
    purchase_create(buyer=member, document=document, idempotency_key="e1")
    wallet_reward_upload(document=make_document(title="Mine", uploader=member))
    client.force_login(member)
    _english(client)
    html = client.get("/me/wallet/").content.decode()
    assert "Payment method: Sandbox payment (testing)" in html
    assert "Sandbox / test mode" in html and "沙箱" not in html
    assert "Upload reward for “Mine.docx”" in html
    assert "Bought “Speech.docx”" in html
    assert "Adjusted by staff: welcome" in html  # the reason as the admin wrote it
    response = client.post("/me/wallet/checkin/")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Checked in: 2 points!"
    ]


# --- site content with a name per language: categories ------------------------------


def test_categories_show_their_name_in_the_readers_language(
    client, categories, make_user, make_document
):
    from wenku.core.models import Category
    from wenku.search import public as search

    child = Category.objects.get(slug="huibao-tihui")
    document = make_document(title="心得体会", category=child)
    search.index_document(document, refresh_related=False)
    pages = [
        "/",
        child.get_absolute_url(),
        document.get_absolute_url(),
        "/search?q=心得",
    ]
    for path in pages:
        assert "汇报体会" in client.get(path).content.decode(), path
    _english(client)
    for path in pages:
        html = client.get(path).content.decode()
        assert "Reports and reflections" in html and "汇报体会" not in html, path
        assert "Practical writing" in html and "应用文书" not in html, path
    html = client.get(child.get_absolute_url()).content.decode()
    assert (
        '<a href="/c/yingyong-wenshu/">Practical writing</a> &gt; '
        '<a href="/c/huibao-tihui/">Reports and reflections</a>'
    ) in html
    assert "<h1>Reports and reflections</h1>" in html
    client.force_login(make_user())
    upload = client.get("/upload/").content.decode()
    assert ">Practical writing &gt; Reports and reflections</option>" in upload
    # No English name: the Chinese one, in English too.
    Category.objects.filter(pk=child.pk).update(name_en="")
    html = client.get(child.get_absolute_url()).content.decode()
    assert "<h1>汇报体会</h1>" in html


def test_the_seeded_tree_has_english_names_kept_when_renamed(categories):
    from wenku.core.models import Category
    from wenku.core.services import category_tree_seed

    assert not Category.objects.filter(name_en="").exists()
    Category.objects.filter(slug="jiaoyu").update(name="教育", name_en="")
    Category.objects.filter(slug="jishu").update(name_en="")
    Category.objects.filter(slug="hangye").update(name_en="Trades")
    category_tree_seed()
    names = dict(Category.objects.values_list("slug", "name_en"))
    assert names["jiaoyu"] == ""  # renamed by the admin: not the seeded English name
    assert names["jishu"] == "Technology"
    assert names["hangye"] == "Trades"  # the admin's own English name stays


# --- reasons the site stored in both languages ----------------------------------------


def test_a_failure_reason_is_shown_in_the_readers_language(
    client, make_user, make_document
):
    from wenku.conversion.base import ConversionError
    from wenku.documents.models import DocumentStatus

    uploader = make_user()
    document = make_document(uploader=uploader, status=DocumentStatus.FAILED)
    document.failure_reason = ConversionError("timeout", "LibreOffice").reason
    document.save(update_fields=["failure_reason"])
    client.force_login(uploader)
    chinese = "转换超时，文件可能过大或过于复杂（LibreOffice）"
    english = "Conversion timed out; the file may be too large or complex (LibreOffice)"
    for language, shown, hidden in (
        ("zh-hans", chinese, english),
        ("en", english, chinese),
    ):
        client.get("/lang/", {"language": language, "next": "/"})
        listing = client.get("/me/").content.decode()
        assert f"<small data-reason>{shown}</small>" in listing
        page = client.get(document.get_absolute_url()).content.decode()
        status = client.get(f"/documents/{document.number}/status.json").json()
        assert status["reason"] == shown
        for html in (listing, page):
            assert shown in html and hidden not in html


def test_only_the_sites_own_two_language_texts_are_cut():
    from django.utils import translation

    from wenku.core.bilingual import in_reader_language

    with translation.override("en"):
        assert in_reader_language("页数超过上限 / The document has too many pages") == (
            "The document has too many pages"
        )
        # What a moderator wrote is shown as written, slash or not.
        assert in_reader_language("内容不符 / 与标题无关") == "内容不符 / 与标题无关"
        assert in_reader_language("Spam / ads") == "Spam / ads"
    with translation.override("zh-hans"):
        assert in_reader_language("页数超过上限 / The document has too many pages") == (
            "页数超过上限"
        )


def test_the_admin_edits_a_categorys_english_name(client, categories, make_user):
    from wenku.core.models import Category

    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    child = Category.objects.get(slug="huibao-tihui")
    html = client.get(f"/admin/core/category/{child.pk}/change/").content.decode()
    assert 'name="name_en"' in html and 'value="Reports and reflections"' in html
    html = client.get(
        f"/admin/core/category/{child.parent_id}/change/"
    ).content.decode()
    assert 'name="children-0-name_en"' in html  # the children inline too
