"""Near-duplicates at publication, with real LibreOffice: the MinHash index in the
database, clusters, and the rules for another member's near-copy
(services/near_duplicates.py, docs/moderation.md)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wenku.conversion.base import REASONS
from wenku.conversion.tests import samples
from wenku.core.selectors import site_settings_get
from wenku.documents import services
from wenku.documents.models import (
    ClusterEvent,
    Document,
    DocumentStatus,
    NearBand,
    NearFingerprint,
)
from wenku.documents.selectors import cluster_of, near_candidates
from wenku.documents.services import document_set_status, document_upload
from wenku.search import minhash
from wenku.search.tests import zh_text
from wenku.wallet.models import Transfer

pytestmark = [pytest.mark.libreoffice, pytest.mark.django_db]

BASE = zh_text.sentences(1, 60)
EDITED = zh_text.edited(BASE, every=20, seed=2)  # one sentence in 20 rewritten


@pytest.fixture
def publish(soffice, tmp_path: Path):
    def _publish(user, paragraphs: list[str], *, name: str = "讲话", price: int = 0):
        path = samples.docx(tmp_path / f"{name}-{user.pk}.docx", paragraphs)
        document = document_upload(
            uploader=user,
            file_name=path.name,
            path=path,
            price=price,
            copyright_declared=True,
        )
        outcome = services.document_convert(document_id=document.pk)
        document.refresh_from_db()
        return outcome, document

    return _publish


def _events(document) -> list[tuple[str, int | None, float, float]]:
    return list(
        ClusterEvent.objects.filter(document=document)
        .order_by("id")
        .values_list("action", "match_id", "similarity", "containment")
    )


def test_publishing_stores_the_signature_and_its_bands(make_user, publish):
    outcome, document = publish(make_user("author"), BASE)
    assert outcome == "published"
    stored = NearFingerprint.objects.get(document=document)
    expected = minhash.signature(document.text)
    assert (bytes(stored.signature), stored.chars) == (expected.data, 1800)
    assert sorted(
        NearBand.objects.filter(document=document).values_list("band", "hash")
    ) == sorted(expected.bands())
    assert NearBand.objects.filter(document=document).count() == 64
    assert document.cluster_id is None
    assert cluster_of(document) is None
    assert _events(document) == []


def test_candidates_take_one_query_reading_the_band_index_alone(make_user, publish):
    _outcome, original = publish(make_user("author"), BASE)
    signature = minhash.signature("\n".join(EDITED))
    with CaptureQueriesContext(connection) as queries:
        found = near_candidates(bands=signature.bands(), exclude_id=0)
    assert [row.document_id for row in found] == [original.pk]
    stored = NearFingerprint.objects.get(document=original)
    assert (found[0].signature, found[0].chars) == (
        bytes(stored.signature),
        stored.chars,
    )
    assert len(queries.captured_queries) == 1
    if connection.vendor == "sqlite":
        # SQLite says it reads the bands from the index alone. PostgreSQL plans a
        # table of a few rows by its estimates (in CI, after the suite's other
        # tests, it chose another join order); on bench/dedup's 100,000 documents,
        # vacuumed, its plan is "Index Only Scan using nearband_lookup" with no
        # heap fetches (docs/moderation.md).
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[0]["sql"])
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "USING COVERING INDEX nearband_lookup" in plan
    # The index holds all the lookup needs of a band: its document too.
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(
            cursor, NearBand._meta.db_table
        )
    assert indexes["nearband_lookup"]["columns"] == ["band", "hash", "document_id"]
    # A document that failed is no candidate any more.
    Document.objects.filter(pk=original.pk).update(status=DocumentStatus.FAILED)
    assert near_candidates(bands=signature.bands(), exclude_id=0) == []


def test_priced_near_copy_by_another_member_goes_to_review(make_user, publish):
    from wenku.moderation.review import review_approve

    _outcome, original = publish(make_user("author"), BASE, price=5)
    outcome, copy = publish(make_user("copier"), EDITED)
    assert (outcome, copy.status, copy.published_at) == (
        "in_review",
        DocumentStatus.IN_REVIEW,
        None,
    )
    original.refresh_from_db()
    assert copy.cluster_id == original.cluster_id is not None
    assert _events(copy) == [("review", original.pk, 0.9219, 0.9672)]
    assert not Transfer.objects.filter(document=copy).exists()  # no reward yet
    # Readers see no version while it waits: the cluster has one published member.
    assert cluster_of(original) is None

    # The moderator sees why it waits, with the document it is like.
    moderator = make_user(is_staff=True)
    client = Client()
    client.force_login(moderator)
    queue = client.get("/moderation/review/").content.decode()
    assert (
        f'<small data-near-copy="{original.number}">'
        f"近似副本：与《{original.display_title}》97% 相似 "
        f'<a href="{original.get_absolute_url()}">查看原文档</a></small>'
    ) in queue

    approved = review_approve(document=copy, by=moderator)
    assert approved.status == DocumentStatus.PUBLISHED
    summary = cluster_of(original)
    assert (summary.original, summary.size, summary.members) == (original, 2, [copy])


def test_same_uploaders_edit_is_a_new_version(make_user, publish):
    author = make_user("author")
    _outcome, first = publish(author, BASE, price=5)
    outcome, second = publish(author, EDITED, price=5)
    assert (outcome, second.status) == ("published", DocumentStatus.PUBLISHED)
    first.refresh_from_db()
    assert second.cluster_id == first.cluster_id is not None
    assert _events(second) == [("version", first.pk, 0.9219, 0.9672)]
    summary = cluster_of(second)
    assert (summary.original, summary.size) == (first, 2)


def test_an_excerpt_of_a_free_document_joins_its_cluster(make_user, publish):
    _outcome, original = publish(make_user("author"), BASE)
    outcome, excerpt = publish(make_user("copier"), BASE[:18])  # the first 30 %
    assert outcome == "published"
    original.refresh_from_db()
    assert excerpt.cluster_id == original.cluster_id is not None
    [(action, match, similarity, containment)] = _events(excerpt)
    assert (action, match, containment) == ("joined", original.pk, 1.0)
    assert similarity < 0.8
    # A third copy joins the same cluster: the original is still the earliest.
    _outcome, third = publish(make_user("third"), EDITED)
    assert third.cluster_id == original.cluster_id
    summary = cluster_of(third)
    assert (summary.original, summary.size) == (original, 3)
    assert summary.members == [original, excerpt]


def test_near_copy_of_a_taken_down_document_is_refused(make_user, publish):
    from wenku.moderation.models import Case
    from wenku.moderation.services import case_decide

    _outcome, original = publish(make_user("author"), BASE)
    case = Case.objects.create(document=original, kind="copyright")
    case_decide(
        case=case, by=make_user(is_staff=True), action="take_down", reason="侵权"
    )
    outcome, copy = publish(make_user("copier"), EDITED)
    assert (outcome, copy.status, copy.failure_code) == ("failed", "failed", "banned")
    assert copy.failure_reason == (
        f"{REASONS['banned']}（与已下架的文档 97% 相似 / 97% like it）"
    )
    assert not NearBand.objects.filter(document=copy).exists()
    assert copy.cluster_id is None
    # The refusal is audited with the document it is like.
    assert _events(copy) == [("banned", original.pk, 0.9219, 0.9672)]


def test_same_heading_and_template_are_not_clustered(make_user, publish):
    _outcome, one = publish(
        make_user("one"), zh_text.with_template(zh_text.sentences(3, 40)), price=5
    )
    outcome, other = publish(
        make_user("other"), zh_text.with_template(zh_text.sentences(4, 40)), price=5
    )
    assert (outcome, other.status) == ("published", DocumentStatus.PUBLISHED)
    one.refresh_from_db()
    assert (one.cluster_id, other.cluster_id) == (None, None)
    assert _events(other) == []


def test_rules_may_refuse_or_publish_another_members_near_copy(make_user, publish):
    rules = site_settings_get()
    rules.near_copy_priced = "refuse"
    rules.save()
    _outcome, original = publish(make_user("author"), BASE, price=5)
    outcome, copy = publish(make_user("copier"), EDITED)
    assert (outcome, copy.failure_code) == ("failed", "near_copy")
    assert copy.failure_reason == (
        f"{REASONS['near_copy']}（97% {original.get_absolute_url()}）"
    )
    assert _events(copy) == [("refused", original.pk, 0.9219, 0.9672)]
    assert copy.cluster_id is None
    # Thresholds are rules too: at 98 % the same copy is no near-copy.
    rules.near_similarity = rules.near_containment = 98
    rules.save()
    outcome, again = publish(make_user("other"), EDITED, name="again")
    assert (outcome, again.cluster_id) == ("published", None)


def test_deleting_a_document_takes_it_out_of_the_index(make_user, publish):
    _outcome, original = publish(make_user("author"), BASE)
    _outcome, copy = publish(make_user("copier"), EDITED)
    deleted = document_set_status(document=copy, status=DocumentStatus.DELETED)
    assert not NearBand.objects.filter(document=copy).exists()
    assert not NearFingerprint.objects.filter(document=copy).exists()
    assert deleted.cluster_id is None
    assert _events(copy)[-1] == ("left", None, 0.0, 0.0)
    assert cluster_of(original) is None
    # Its text is no longer on the site: the same copy may come again.
    outcome, again = publish(make_user("other"), EDITED, name="again")
    original.refresh_from_db()
    assert (outcome, again.cluster_id) == ("published", original.cluster_id)


def test_backfill_groups_documents_published_before_the_index(make_user, make_document):
    backfill = importlib.import_module(
        "wenku.documents.migrations.0008_near_duplicates_backfill"
    ).backfill

    def pages(paragraphs: list[str]) -> list[str]:
        return ["\n".join(paragraphs[i : i + 10]) for i in range(0, 60, 10)]

    first = make_document(pages=pages(BASE), uploader=make_user("a"))
    copy = make_document(pages=pages(EDITED), uploader=make_user("b"))
    alone = make_document(pages=pages(zh_text.sentences(7, 60)))
    short = make_document(pages=["封面"])
    backfill(apps, None)
    for document in (first, copy, alone, short):
        document.refresh_from_db()
    assert (
        NearFingerprint.objects.filter(document__in=[first, copy, alone]).count() == 3
    )
    assert not NearFingerprint.objects.filter(document=short).exists()
    assert copy.cluster_id == first.cluster_id is not None
    assert alone.cluster_id is None
    assert _events(copy) == [("backfill", first.pk, 0.9219, 0.9672)]
    backfill(apps, None)  # again: nothing new
    assert ClusterEvent.objects.count() == 1
