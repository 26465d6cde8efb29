"""Behaviour of search(): one suite, run on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from wenku.documents.models import DocumentStatus
from wenku.search import public as search
from wenku.search.tests.conftest import split_pages

ANON = AnonymousUser()

NOTICE = [
    "关于开展师德师风建设专项活动的通知。各学校：为进一步加强教师队伍建设，提升教育质量。",
    "一、活动时间：2022年3月至6月。二、活动内容：组织全体教师学习师德规范。",
]
REPORT = [
    "2021年度企业财务报告。本年度营业收入增长百分之十二，成本控制良好。",
    "资产负债表显示流动资产充足，会计核算规范。",
]
PYTHON = [
    "Python Programming for Beginners: variables, loops and functions.",
    "第二章 Django 框架入门，讲解模型、视图和模板。",
]


@pytest.fixture
def corpus(publish):
    return {
        "notice": publish("师德师风建设专项活动通知", NOTICE, tags="教育 通知"),
        "report": publish("企业年度财务报告", REPORT, file_type="pdf", price=5),
        "python": publish("Python 编程入门", PYTHON, file_type="pdf", downloads=50),
    }


@pytest.fixture
def speech(publish, speech_text):
    title, _, body = speech_text.partition("\n")
    return publish(title.strip(), split_pages(body, 3), description="领导讲话范文")


def _numbers(results):
    return [hit.document.number for hit in results.results]


def test_speech_found_first_for_its_title_words(speech, corpus):
    found = search.search("教育工作会议", user=ANON)
    assert found.results[0].document == speech


def test_traditional_query_finds_simplified_document(speech, corpus):
    found = search.search("教育工作會議", user=ANON)
    assert found.results[0].document == speech


def test_simplified_query_finds_traditional_document(publish, corpus):
    document = publish("學校圖書館管理辦法", ["圖書館開放時間為每週一至週五。"])
    found = search.search("图书馆开放时间", user=ANON)
    assert _numbers(found) == [document.number]


def test_phrase_only_on_page_two_finds_speech_and_points_to_page_two(speech, corpus):
    pages = list(speech.pages.order_by("number").values_list("text", flat=True))
    phrase = next(
        pages[1][i : i + 10]
        for i in range(len(pages[1]) // 2, len(pages[1]) - 10)
        if "，" not in pages[1][i : i + 10]
        and pages[1][i : i + 10] not in pages[0] + pages[2]
    )
    found = search.search(phrase, user=ANON)
    assert found.results[0].document == speech
    assert found.results[0].matched_page == 2
    matches = search.search_in_document(speech, phrase, user=ANON)
    assert [(m.page, m.viewable) for m in matches] == [(2, True)]
    assert matches[0].count >= 1


def test_english_words_match_case_and_width_insensitively(corpus):
    assert _numbers(search.search("django", user=ANON)) == [corpus["python"].number]
    assert _numbers(search.search("ＰＹＴＨＯＮ", user=ANON)) == [
        corpus["python"].number
    ]


def test_title_match_outranks_body_match(publish):
    body_only = publish("年度工作计划", ["本单位将加强图书馆建设。"])
    titled = publish("图书馆建设方案", ["本方案说明建设步骤。"])
    assert _numbers(search.search("图书馆", user=ANON)) == [
        titled.number,
        body_only.number,
    ]


def test_every_word_must_match(corpus):
    assert search.search("财务 django", user=ANON).total == 0
    assert _numbers(search.search("财务 报告", user=ANON)) == [corpus["report"].number]


def test_snippet_highlights_terms_from_readable_text(corpus):
    hit = search.search("会计核算", user=ANON).results[0]
    assert "<mark>会计核算</mark>" in hit.snippet_html
    assert hit.matched_page == 2


def test_snippet_escapes_html(publish):
    publish("脚本测试", ["<script>alert(1)</script> 注入测试文本"])
    hit = search.search("注入测试", user=ANON).results[0]
    assert "<script>" not in hit.snippet_html
    assert "&lt;/script&gt;" in hit.snippet_html


def test_match_only_on_paid_page_shows_page_number_without_text(publish):
    secret = "独家秘方配料表"
    document = publish(
        "川菜烹饪教程",
        ["第一页：川菜简介。", "第二页：刀工基础。", f"第三页：{secret}详解。"],
        price=10,
        free_pages=2,
    )
    hit = search.search(secret, user=ANON).results[0]
    assert hit.document == document
    assert hit.matched_page == 3
    assert hit.page_locked is True
    assert secret not in hit.snippet_html
    assert "配料" not in hit.snippet_html
    matches = search.search_in_document(document, secret, user=ANON)
    assert [(m.page, m.count, m.viewable) for m in matches] == [(3, 1, False)]


def test_uploader_sees_snippet_from_every_page(publish):
    document = publish(
        "川菜烹饪教程",
        ["川菜简介。", "刀工基础。", "独家秘方配料表详解。"],
        price=10,
        free_pages=1,
    )
    hit = search.search("独家秘方", user=document.uploader).results[0]
    assert hit.page_locked is False
    assert "<mark>独家秘方</mark>" in hit.snippet_html


def test_filters_category_with_descendants_format_pages_and_price(publish, categories):
    from wenku.core.models import Category

    education = Category.objects.get(slug="jiaoyu")
    teaching = Category.objects.get(slug="jiaoan-kejian")
    finance = Category.objects.get(slug="caiwu-kuaiji")
    lesson = publish("数学教案", ["二次函数教学设计"], category=teaching)
    exam = publish("数学试卷", ["二次函数测试题"] * 8, category=education, price=3)
    ledger = publish(
        "会计教程", ["二次函数在会计中的应用"], category=finance, file_type="pdf"
    )

    def numbers(**options):
        return sorted(_numbers(search.search("二次函数", user=ANON, **options)))

    assert numbers() == sorted([lesson.number, exam.number, ledger.number])
    assert numbers(category=education) == sorted([lesson.number, exam.number])
    assert numbers(category="jiaoyu") == sorted([lesson.number, exam.number])
    assert numbers(category="jiaoan-kejian") == [lesson.number]
    assert numbers(category="no-such-category") == []
    assert numbers(file_type="pdf") == [ledger.number]
    assert numbers(pages_min=5) == [exam.number]
    assert numbers(pages_max=1) == sorted([lesson.number, ledger.number])
    assert numbers(price="paid") == [exam.number]
    assert numbers(price="free") == sorted([lesson.number, ledger.number])


def test_sort_by_newest_and_downloads(publish):
    old = publish("旧的年度总结", ["年度总结内容"], age_days=30, downloads=99)
    new = publish("新的年度总结", ["年度总结内容"], age_days=1, downloads=1)
    assert _numbers(search.search("年度总结", user=ANON, sort="newest")) == [
        new.number,
        old.number,
    ]
    assert _numbers(search.search("年度总结", user=ANON, sort="downloads")) == [
        old.number,
        new.number,
    ]


def test_pagination_and_total(publish):
    made = [publish(f"安全生产月活动方案{i}", ["安全生产"]) for i in range(5)]
    first = search.search("安全生产", user=ANON, per_page=2, sort="newest")
    third = search.search("安全生产", user=ANON, per_page=2, page=3, sort="newest")
    assert (first.total, first.page_count) == (5, 3)
    assert len(first.results) == 2
    assert _numbers(third) == [made[0].number]


def test_unpublish_removes_from_index_in_same_transaction(corpus):
    from wenku.documents.services import document_set_status

    report = corpus["report"]
    document_set_status(document=report, status=DocumentStatus.TAKEN_DOWN)
    assert search.search("财务报告", user=ANON).total == 0
    document_set_status(document=report, status=DocumentStatus.PUBLISHED)
    assert _numbers(search.search("财务报告", user=ANON)) == [report.number]


def test_rolled_back_publish_leaves_no_index_entry(corpus):
    report = corpus["report"]
    with pytest.raises(RuntimeError), transaction.atomic():
        search.remove_document(report)
        assert search.search("财务报告", user=ANON).total == 0
        raise RuntimeError("rollback")
    assert _numbers(search.search("财务报告", user=ANON)) == [report.number]


def test_edit_reindexes(corpus):
    report = corpus["report"]
    report.title = "集团审计报告"
    report.save()
    search.index_document(report, refresh_related=False)
    assert _numbers(search.search("审计", user=ANON)) == [report.number]


def test_unpublished_documents_are_never_found(publish):
    document = publish("内部资料汇编", ["内部资料"])
    document.status = DocumentStatus.IN_REVIEW
    document.save()  # status changed without touching the index: the join hides it
    assert search.search("内部资料", user=ANON).total == 0


def test_bounded_ranking_keeps_title_matches_first_and_pages(publish, monkeypatch):
    from wenku.search.backends import get_backend

    titled = publish("图书馆建设方案", ["实施步骤。"])  # oldest: outside the newest 2
    body = [publish(f"年度计划{i}", ["推进图书馆建设。"]) for i in range(3)]
    monkeypatch.setattr(type(get_backend()), "CANDIDATE_LIMIT", 2)
    monkeypatch.setattr(type(get_backend()), "BODY_CANDIDATE_LIMIT", 2, raising=False)
    first = search.search("图书馆建设", user=ANON, per_page=2)
    assert first.total == 4
    assert first.results[0].document == titled
    second = search.search("图书馆建设", user=ANON, per_page=2, page=2)
    assert {hit.document for hit in second.results} <= set(body)
    assert (
        search.search("图书馆建设", user=ANON, sort="newest").results[0].document
        == body[-1]
    )


def test_buyer_sees_snippets_of_bought_documents_only(publish, make_user):
    from wenku.wallet.services import purchase_create, wallet_grant

    pages = ["川菜简介。", "刀工基础。", "独家秘方配料表详解。"]
    bought = publish("川菜烹饪教程", pages, price=10, free_pages=1)
    other = publish("湘菜烹饪教程", pages, price=10, free_pages=1)
    buyer = make_user("buyer")
    wallet_grant(user=buyer, amount=50, reason="测试充值")
    purchase_create(buyer=buyer, document=bought, idempotency_key="search-test-1")

    hits = {hit.document: hit for hit in search.search("独家秘方", user=buyer).results}
    assert hits[bought].page_locked is False
    assert "<mark>独家秘方</mark>" in hits[bought].snippet_html
    assert (hits[other].matched_page, hits[other].page_locked) == (3, True)
    assert "配料" not in hits[other].snippet_html


def test_result_page_costs_the_same_queries_for_one_hit_or_many(
    publish, make_user, categories
):
    """Entitlements, categories and page texts are read for the page at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wenku.core.models import Category

    category = Category.objects.get(slug="jiaoyu")
    reader = make_user("reader")
    publish("教学计划一", ["教学计划内容"], category=category)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            found = search.search("教学计划", user=reader)
            names = {hit.document.category.name for hit in found.results}
            titles = {hit.document.display_title for hit in found.results}
        assert names == {category.name}
        assert len(titles) == len(found.results)
        return len(context.captured_queries)

    queries()  # PostgreSQL plans each new word once (estimates kept per process)
    one = queries()
    for n in range(2, 13):
        publish(f"教学计划{n}", ["教学计划内容"] * 3, category=category, price=5)
    assert search.search("教学计划", user=reader).total == 12
    assert queries() == one


def test_hit_documents_load_without_their_text(publish):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wenku.search.hits import HitLoader

    document = publish("装修合同范本", ["甲方乙方装修合同条款"])
    loader = HitLoader()
    with CaptureQueriesContext(connection) as context:
        assert loader.published([document.pk, document.pk + 999_999]) == {document.pk}
        assert loader.published([document.pk]) == {document.pk}  # loaded once
    assert len(context.captured_queries) == 1
    loaded = loader.documents[document.pk]
    assert (loaded.title, loaded.number, loaded.category) == (
        document.title,
        document.number,
        None,
    )
    assert loaded.published_at == document.published_at
    assert "text" in loaded.get_deferred_fields()
    assert loaded.text == "甲方乙方装修合同条款"  # read on demand


def test_folded_pages_follow_the_index_entry(publish):
    from wenku.documents.models import Page
    from wenku.search.models import FoldedPage

    document = publish("繁體文件", ["第一頁ＡＢＣ", "學校圖書館"])
    assert list(
        FoldedPage.objects.filter(document=document)
        .order_by("number")
        .values_list("number", "text")
    ) == [(1, "第一页abc"), (2, "学校图书馆")]
    Page.objects.filter(document=document, number=2).delete()
    Page.objects.filter(document=document, number=1).update(text="新版本")
    search.index_document(document)  # reconverted with fewer pages
    assert list(
        FoldedPage.objects.filter(document=document).values_list("number", "text")
    ) == [(1, "新版本")]
    with transaction.atomic():
        document.status = DocumentStatus.TAKEN_DOWN
        document.save()
        search.index_document(document)
    assert not FoldedPage.objects.filter(document=document).exists()


def test_locked_match_in_traditional_text_found_by_simplified_query(publish):
    document = publish(
        "圖書館規章",
        ["總則。", "開放時間。", "館藏珍本借閱辦法。"],
        price=8,
        free_pages=2,
    )
    hit = search.search("珍本借阅", user=ANON).results[0]
    assert hit.document == document
    assert (hit.matched_page, hit.page_locked) == (3, True)
    assert "借閱" not in hit.snippet_html
