"""相关资源 and 相关搜索, the query log and suggestions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from wenku.search import public as search
from wenku.search.models import SearchClick, SearchQuery
from wenku.search.services import related_refresh
from wenku.search.tests.conftest import split_pages

ANON = AnonymousUser()


@pytest.fixture
def library(publish, categories, speech_text):
    from wenku.core.models import Category
    from wenku.documents.models import Document, DocumentStatus

    speeches = Category.objects.get(slug="jianghua-zhici")
    education = Category.objects.get(slug="jiaoyu-guanli")
    finance = Category.objects.get(slug="caiwu-kuaiji")
    medicine = Category.objects.get(slug="yiyao-weisheng")
    title, _, body = speech_text.partition("\n")
    speech = publish(title.strip(), split_pages(body, 3), category=speeches)
    docs = {
        "speech": speech,
        "edu_plan": publish(
            "2022年全区教育工作要点",
            ["全面贯彻党的教育方针，落实立德树人根本任务，推进基础教育高质量发展。"],
            category=education,
        ),
        "edu_teachers": publish(
            "加强教师队伍建设的实施意见",
            ["建设高素质教师队伍，提升教育质量，推动教育事业发展，深化教育改革。"],
            category=education,
        ),
        "finance": publish(
            "企业成本核算办法",
            ["成本核算、费用分摊与会计凭证管理，财务报表编制要求。"],
            category=finance,
        ),
        "medicine": publish(
            "医院感染管理制度",
            ["医疗机构应当建立感染管理责任制，规范消毒隔离工作。"],
            category=medicine,
        ),
        "duplicate": publish(
            "讲话范文（副本）", split_pages(body, 3), category=speeches
        ),
    }
    # The same bytes as the speech: the database keeps one live copy of a file
    # (doc_live_sha256_unique), so the copy is a failed upload still in the index.
    Document.objects.filter(pk=docs["duplicate"].pk).update(
        status=DocumentStatus.FAILED, sha256=speech.sha256
    )
    docs["duplicate"].refresh_from_db()
    return docs


def test_related_documents_of_education_speech_are_education_documents(library):
    speech = library["speech"]
    assert related_refresh(document=speech) >= 2
    related = search.related_documents(speech, limit=8)
    assert set(related[:2]) == {library["edu_plan"], library["edu_teachers"]}
    assert speech not in related
    assert library["duplicate"] not in related  # same sha256
    assert library["medicine"] not in related


def test_related_documents_computed_on_the_fly_before_the_task_ran(library):
    related = search.related_documents(library["speech"], limit=2)
    assert set(related) == {library["edu_plan"], library["edu_teachers"]}


def test_related_documents_hide_unpublished(library):
    from wenku.documents.models import DocumentStatus
    from wenku.documents.services import document_set_status

    related_refresh(document=library["speech"])
    document_set_status(document=library["edu_plan"], status=DocumentStatus.TAKEN_DOWN)
    assert library["edu_plan"] not in search.related_documents(library["speech"])


def test_publishing_queues_related_refresh_after_commit(
    library, django_capture_on_commit_callbacks, monkeypatch
):
    from wenku.search import tasks

    queued = []
    monkeypatch.setattr(tasks.refresh_related, "delay", lambda **kw: queued.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        search.index_document(library["speech"])
    assert queued == [{"document_id": library["speech"].pk}]
    tasks.refresh_related(document_id=library["speech"].pk)
    assert library["edu_plan"] in search.related_documents(library["speech"])


def test_related_searches_each_lead_to_results(library):
    speech = library["speech"]
    related_refresh(document=speech)
    search.log_query("立德树人", clicked_document=library["edu_plan"])
    search.log_query("教育强区", clicked_document=speech)
    terms = search.related_searches(speech, limit=8)
    assert terms[0] == "教育强区"
    assert "立德树人" in terms
    assert 4 <= len(terms) <= 8
    for term in terms:
        assert search.search(term, user=ANON).total > 0, term


def test_related_searches_skip_junk_and_dead_queries(library):
    speech = library["speech"]
    for junk in ("!!", "12345", "x", "不存在的词语组合", "教" * 40):
        search.log_query(junk, clicked_document=speech)
    terms = search.related_searches(speech)
    assert not {"!!", "12345", "x", "不存在的词语组合", "教" * 40} & set(terms)


def test_query_log_is_normalised_and_anonymous(db):
    search.log_query("  教育工作會議 ")
    search.log_query("教育工作会议")
    search.log_query("？？")
    row = SearchQuery.objects.get()
    assert (row.text, row.count) == ("教育工作会议", 2)
    fields = {field.name for field in SearchQuery._meta.get_fields()}
    assert not fields & {"user", "ip", "ip_address", "session"}


def test_click_counts(library):
    search.log_query("教育方针", clicked_document=library["edu_plan"])
    search.log_query("教育方针", clicked_document=library["edu_plan"])
    click = SearchClick.objects.get()
    assert (click.query.text, click.document, click.count) == (
        "教育方针",
        library["edu_plan"],
        2,
    )


def test_suggest_popular_queries_then_titles(library):
    for visitor in ("a", "b", "c"):
        search.log_query("教育工作要点", visitor=visitor)
    suggestions = search.suggest("教育")
    assert suggestions[0] == "教育工作要点"
    assert "2022年全区教育工作要点" in suggestions
    assert search.suggest("加强教") == ["加强教师队伍建设的实施意见"]
    assert search.suggest("") == []
