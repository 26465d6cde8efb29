import re

import pytest
from django.utils import timezone

from wenku.core.models import Category, SiteSettings
from wenku.documents.models import DocumentStatus
from wenku.documents.presentation import human_size, lead_sentence, text_chunks

SPEECH_PAGES = [
    "同志们：刚才，X局长总结回顾了全区2021年以来的教育工作。",
    "一、踏进新征程，抢抓新机遇，坚定建设基础教育强区的思想定力。",
    "二、突出关键点，聚焦主业务，筑牢教育高质量发展的根基。",
    "三、发挥主动性，增强执行力，只在付费页出现的句子。",
]


def test_human_size_matches_seed_style():
    assert human_size(15872) == "15.50KB"
    assert human_size(512) == "512B"
    assert human_size(3 * 1024 * 1024) == "3.00MB"


def test_lead_sentence_from_title_and_pages():
    assert lead_sentence(display_title="讲话.doc", page_count=6, site_name="文库") == (
        "《讲话.doc》由会员分享，可在线阅读，更多相关《讲话.doc（6页珍藏版）》请在文库上搜索。"
    )


def test_text_chunks_are_about_350_characters():
    text = "教育是国之大计。" * 200
    chunks = text_chunks(text)
    assert "".join(chunks) == text
    assert all(300 <= len(c) <= 400 for c in chunks[:-1])
    assert chunks[0].endswith("。")


@pytest.mark.django_db
def test_detail_page_has_every_seed_element(
    client, categories, make_user, make_document
):
    SiteSettings.objects.create(site_name="淘文库", icp_number="黑ICP备15003705号")
    uploader = make_user("yiye", display_name="一叶知秋")
    doc = make_document(
        title="副区长在2021年教育工作会议上的讲话范文",
        pages=SPEECH_PAGES,
        uploader=uploader,
        free_pages=3,
        price=5,
        file_type="doc",
        category=Category.objects.get(slug="huibao-tihui"),
        original=b"x" * 15872,
    )
    html = client.get(doc.get_absolute_url()).content.decode()
    title = "副区长在2021年教育工作会议上的讲话范文.doc"
    assert f"<title>{title} - 淘文库</title>" in html
    assert f'上传人:<a href="/u/{uploader.public_id}/" data-uploader>一***</a>' in html
    assert f"文档编号:{doc.number}" in html
    assert f"上传时间:{timezone.localtime(doc.created_at):%Y-%m-%d}" in html
    assert "格式:DOC" in html and "页数:4" in html and "大小:15.50KB" in html
    for action in ("返回", "下载", "相关", "举报"):
        assert f">{action}</a>" in html
    assert f'alt="{title}_第1页"' in html and "第1页 / 共4页" in html
    assert "第2页 / 共4页" not in html  # one page first, the rest on demand
    assert "点击查看更多&gt;&gt;" in html
    assert "免费预览 3 页 / 共 4 页" in html
    assert "还剩 1 页未读" in html and "5 积分" in html
    assert "资源描述" in html
    assert (
        f"《{title}》由会员分享，可在线阅读，更多相关《{title}（4页珍藏版）》请在淘文库上搜索。"
        in html
    )
    assert "1、同志们：刚才" in html and "踏进新征程" in html
    assert "只在付费页出现的句子" not in html
    assert "展开阅读全文" not in html  # one short chunk: nothing to expand
    assert "相关资源" in html and "相关搜索" in html
    assert (
        '当前位置：<a href="/">首页</a> &gt; <a href="/c/yingyong-wenshu/">应用文书</a> &gt; <a href="/c/huibao-tihui/">汇报体会</a>'
        in html
    )
    assert "黑ICP备15003705号" in html and "C TO C" in html
    assert (
        f'<link rel="canonical" href="http://testserver/documents/{doc.number}/">'
        in html
    )
    assert (
        '<meta property="og:title" content="副区长在2021年教育工作会议上的讲话范文.doc">'
        in html
    )
    assert '<meta name="description" content="《副区长在2021年' in html


@pytest.mark.django_db
def test_more_pages_stop_at_free_limit(client, make_document):
    doc = make_document(pages=SPEECH_PAGES, free_pages=3, price=5)
    response = client.get(f"/documents/{doc.number}/pages/?start=3&count=3")
    html = response.content.decode()
    assert response["X-Next-Start"] == "4"
    assert "第3页 / 共4页" in html and "第4页" not in html
    assert (
        client.get(f"/documents/{doc.number}/pages/?start=4").content.decode().strip()
        == ""
    )
    assert client.get(f"/documents/{doc.number}/pages/?start=x").status_code == 400


@pytest.mark.django_db
def test_page_images_carry_their_text_only_where_the_reader_may_read(
    client, make_user, make_document
):
    from wenku.wallet.services import purchase_create, wallet_grant

    doc = make_document(pages=SPEECH_PAGES, free_pages=2, price=5)
    paid_only = SPEECH_PAGES[3]

    def page_texts(html: str) -> list[str]:
        return re.findall(r'<div class="page-text" data-page-text>(.*?)</div>', html)

    # A visitor: the first page in the document page, the second loaded on demand,
    # each with its text beside the image; the paid pages neither.
    html = client.get(doc.get_absolute_url()).content.decode()
    assert page_texts(html) == [SPEECH_PAGES[0]]
    more = client.get(f"/documents/{doc.number}/pages/?start=2&count=3")
    assert page_texts(more.content.decode()) == [SPEECH_PAGES[1]]
    assert paid_only not in html + more.content.decode()

    buyer = make_user()
    wallet_grant(user=buyer, amount=5, reason="测试")
    purchase_create(buyer=buyer, document=doc, idempotency_key="text-1")
    client.force_login(buyer)
    more = client.get(f"/documents/{doc.number}/pages/?start=2&count=3")
    assert page_texts(more.content.decode()) == SPEECH_PAGES[1:]


@pytest.mark.django_db
def test_page_image_past_free_limit_is_403_for_anonymous_and_others(
    client, make_user, make_document
):
    uploader = make_user("owner")
    doc = make_document(pages=SPEECH_PAGES, free_pages=3, price=5, uploader=uploader)
    assert client.get(f"/documents/{doc.number}/page/3.webp").status_code == 200
    assert client.get(f"/documents/{doc.number}/page/4.webp").status_code == 403
    other = make_user("other")
    client.force_login(other)
    assert client.get(f"/documents/{doc.number}/page/4.webp").status_code == 403
    assert (
        "只在付费页出现的句子"
        not in client.get(doc.get_absolute_url()).content.decode()
    )
    client.force_login(uploader)
    assert client.get(f"/documents/{doc.number}/page/4.webp").status_code == 200
    assert (
        client.get(f"/documents/{doc.number}/page/4.webp")["Content-Type"]
        == "image/webp"
    )
    assert "只在付费页出现的句子" in client.get(doc.get_absolute_url()).content.decode()
    assert client.get(f"/documents/{doc.number}/page/9.webp").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status",
    [
        DocumentStatus.FAILED,
        DocumentStatus.PROCESSING,
        DocumentStatus.TAKEN_DOWN,
        DocumentStatus.DELETED,
    ],
)
def test_unpublished_documents_are_404_to_the_public(
    client, make_user, make_document, status
):
    uploader = make_user("owner")
    doc = make_document(status=status, uploader=uploader)
    # A taken-down document answers the branded removed page (410), its uploader too.
    removed = status == DocumentStatus.TAKEN_DOWN
    assert client.get(doc.get_absolute_url()).status_code == (410 if removed else 404)
    assert client.get(f"/documents/{doc.number}/page/1.webp").status_code == 404
    client.force_login(uploader)
    expected = {DocumentStatus.DELETED: 404, DocumentStatus.TAKEN_DOWN: 410}
    assert client.get(doc.get_absolute_url()).status_code == expected.get(status, 200)


@pytest.mark.django_db
def test_view_counter_and_favorite_and_rating(client, make_user, make_document):
    doc = make_document()
    client.get(doc.get_absolute_url())
    client.get(doc.get_absolute_url())
    doc.refresh_from_db()
    assert doc.views == 2
    member = make_user("reader")
    client.force_login(member)
    client.post(f"/documents/{doc.number}/favorite/")
    assert member.favorites.count() == 1
    assert doc.get_absolute_url() in client.get("/me/favorites/").content.decode()
    client.post(f"/documents/{doc.number}/rate/", {"stars": "3"})  # not downloaded yet
    doc.refresh_from_db()
    assert doc.rating_count == 0
    assert client.get(f"/documents/{doc.number}/download/").status_code == 302
    client.post(f"/documents/{doc.number}/rate/", {"stars": "4"})
    client.post(f"/documents/{doc.number}/rate/", {"stars": "5"})
    client.post(f"/documents/{doc.number}/rate/", {"stars": "99"})
    doc.refresh_from_db()
    assert (doc.rating_sum, doc.rating_count, doc.rating) == (5, 1, 5.0)
    assert "5.0 分 · 1 人评价" in client.get(doc.get_absolute_url()).content.decode()
    client.post(f"/documents/{doc.number}/favorite/")
    assert member.favorites.count() == 0


@pytest.mark.django_db
def test_sitemap_lists_published_only_and_robots(client, make_document):
    published = make_document(title="公开")
    failed = make_document(title="失败", status=DocumentStatus.FAILED)
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-documents.xml" in index
    body = client.get("/sitemap-documents.xml").content.decode()
    assert f"/documents/{published.number}/" in body
    assert f"/documents/{failed.number}/" not in body
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    assert "Disallow: /admin/" in robots


@pytest.mark.django_db
def test_report_is_stored_for_moderators(client, make_document):
    from wenku.moderation.models import Report

    doc = make_document()
    response = client.post(
        f"/documents/{doc.number}/report/",
        {"reason": "mismatch", "description": "标题是会议讲话，内容是广告"},
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.reason, report.case.status, report.case.kind) == (
        "mismatch",
        "open",
        "mismatch",
    )
    # The same visitor reporting again adds nothing: one open case per reporter.
    client.post(f"/documents/{doc.number}/report/", {"reason": "ad"})
    assert Report.objects.count() == 1
