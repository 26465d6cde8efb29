"""Near-copies in search results and 相关资源: one document per cluster, with how
many similar documents it stands for."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from wenku.documents.services.near_duplicates import (
    near_duplicate_check,
    near_duplicate_record,
)
from wenku.search import minhash
from wenku.search import public as search
from wenku.search.clusters import one_per_cluster
from wenku.search.services import related_refresh
from wenku.search.tests import zh_text

pytestmark = pytest.mark.django_db
ANON = AnonymousUser()
# What the documents are about: real sentences they share, before their own text.
SUBJECT = [
    "教育工作要坚持立德树人，加强教师队伍建设，推动学校教育优质均衡发展。",
    "各学校要落实教育教学改革，提升教师能力，办好人民满意的学校教育。",
    "教育部门要支持教师发展，关心学校建设，保障教育投入，深化教育改革。",
] * 3
BASE = SUBJECT + zh_text.sentences(1, 51)


def _body(paragraphs: list[str]) -> list[str]:
    return ["\n".join(paragraphs[i : i + 20]) for i in range(0, len(paragraphs), 20)]


@pytest.fixture
def cluster(publish, make_user):
    """Three near-copies of one text (original, 5 % edit, first 30 %) by three
    members, and an unrelated document on the same subject."""

    def _near(title: str, paragraphs: list[str], **extra):
        document = publish(
            title,
            _body(paragraphs),
            uploader=make_user(),
            tags="教育,教师,学校",
            description="全区教育工作的实施意见，教师队伍与学校建设。",
            **extra,
        )
        with transaction.atomic():
            near_duplicate_record(
                document=document,
                check=near_duplicate_check(document, minhash.signature(document.text)),
            )
        document.refresh_from_db()
        return document

    docs = {
        "original": _near("教育工作实施意见", BASE, age_days=3),
        "edited": _near(
            "教育工作实施意见修改稿",
            zh_text.edited(BASE, every=20, seed=2),
            downloads=9,
            age_days=2,
        ),
        "excerpt": _near("教育工作实施意见节选", BASE[:18], age_days=1),
        "other": _near("教育工作要点", SUBJECT + zh_text.sentences(5, 20)),
    }
    for document in docs.values():
        document.refresh_from_db()
    assert (
        docs["original"].cluster_id
        == docs["edited"].cluster_id
        == docs["excerpt"].cluster_id
        is not None
    )
    assert docs["other"].cluster_id is None
    return docs


def test_search_collapses_a_cluster_to_its_best_member(cluster):
    found = search.search("教育工作", user=ANON, sort="downloads")
    assert found.total == 2
    assert [(hit.document, hit.similar) for hit in found.results] == [
        (cluster["edited"], 2),
        (cluster["other"], 0),
    ]
    newest = search.search("教育工作", user=ANON, sort="newest")
    assert [(hit.document, hit.similar) for hit in newest.results] == [
        (cluster["other"], 0),
        (cluster["excerpt"], 2),
    ]


def test_results_page_and_api_say_how_many_similar_documents(client, cluster):
    page = client.get("/search", {"q": "教育工作", "sort": "downloads"})
    html = page.content.decode()
    assert (
        f'<a href="{cluster["edited"].get_absolute_url()}#similar" '
        'data-similar="2">2 个相似文档</a>'
    ) in html
    assert html.count("data-similar=") == 1
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/search", {"q": "教育工作", "sort": "downloads"})
    assert 'data-similar="2">2 similar documents</a>' in english.content.decode()

    answer = client.get("/api/search", {"q": "教育工作", "sort": "downloads"}).json()
    assert answer["total"] == 2
    assert [(r["number"], r["similar"]) for r in answer["results"]] == [
        (cluster["edited"].number, 2),
        (cluster["other"].number, 0),
    ]


def test_pages_after_the_first_continue_past_the_collapsed(publish, cluster):
    found = search.search("教育工作", user=ANON, sort="downloads", per_page=1)
    assert found.total == 2
    assert [hit.document for hit in found.results] == [cluster["edited"]]
    second = search.search("教育工作", user=ANON, sort="downloads", per_page=1, page=2)
    assert [hit.document for hit in second.results] == [cluster["other"]]


def test_related_documents_show_one_per_cluster(cluster):
    other = cluster["other"]
    on_the_fly = search.related_documents(other)
    members = {cluster[name].pk for name in ("original", "edited", "excerpt")}
    assert len([d for d in on_the_fly if d.pk in members]) == 1
    related_refresh(document=other)
    stored = search.related_documents(other)
    assert len(stored) == 1
    assert stored[0].pk in members
    # A member's own list leaves out its cluster: the page lists those already.
    related_refresh(document=cluster["original"])
    assert search.related_documents(cluster["original"]) == [other]


def test_one_per_cluster_keeps_the_first_of_each():
    items = [("a", 1), ("b", None), ("c", 1), ("d", 2), ("e", None), ("f", 2)]
    assert one_per_cluster(items, lambda item: item[1]) == (
        [("a", 1), ("b", None), ("d", 2), ("e", None)],
        2,
    )
    assert one_per_cluster(items, lambda item: item[1], skip=2) == (
        [("a", 1), ("b", None), ("e", None)],
        3,
    )


def _clustered(documents) -> None:
    from wenku.documents.models import Cluster, Document

    cluster = Cluster.objects.create()
    Document.objects.filter(pk__in=[d.pk for d in documents]).update(cluster=cluster)


def test_totals_count_a_cluster_once_past_the_ranked_window(publish):
    """130 matches, the oldest three a cluster ranked past the window of this
    page plus 100: the total still counts that cluster once."""
    newest = [
        publish(f"教育工作第{n}号", [f"教育工作要点第{n}号。"], age_days=n)
        for n in range(127)
    ]
    oldest = [
        publish(f"教育工作旧稿{n}", ["教育工作要点旧稿。"], age_days=200 + n)
        for n in range(3)
    ]
    _clustered(oldest)
    _clustered(newest[:2])  # and one inside the window
    first = search.search("教育工作", user=ANON, sort="newest")
    assert (first.total, first.page_count) == (127, 7)
    assert [hit.document for hit in first.results] == [newest[0], *newest[2:21]]
    assert first.results[0].similar == 1
    last = search.search("教育工作", user=ANON, sort="newest", page=7)
    assert last.total == 127
    assert [(hit.document, hit.similar) for hit in last.results] == [
        *[(document, 0) for document in newest[121:]],
        (oldest[0], 2),
    ]
