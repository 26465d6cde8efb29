"""Clusters that a document links: its matches' clusters merge into the oldest,
each document moved audited as ``merged``, the original still the earliest
published member (services/near_duplicates.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from wenku.documents.models import Cluster, ClusterEvent
from wenku.documents.selectors import cluster_of
from wenku.documents.services.near_duplicates import (
    near_duplicate_check,
    near_duplicate_record,
)
from wenku.search import minhash
from wenku.search.tests import zh_text

pytestmark = pytest.mark.django_db

ONE = zh_text.sentences(1, 30)
TWO = zh_text.sentences(7, 30)
FIRST_DAY = timezone.make_aware(datetime(2022, 4, 28, 9, 0))


@pytest.fixture
def near_copy(make_document, make_user):
    """A published document indexed for near-copies as publication does it, one
    day after the one before, by a member of its own."""
    made = {"n": 0}

    def _make(paragraphs: list[str]):
        pages = [
            "\n".join(paragraphs[i : i + 10]) for i in range(0, len(paragraphs), 10)
        ]
        document = make_document(pages=pages, uploader=make_user())
        document.published_at = FIRST_DAY + timedelta(days=made["n"])
        document.save(update_fields=["published_at"])
        made["n"] += 1
        with transaction.atomic():
            check = near_duplicate_check(document, minhash.signature(document.text))
            near_duplicate_record(document=document, check=check)
        document.refresh_from_db()
        return document

    return _make


def _alike(one, other) -> tuple[float, float]:
    found = minhash.compare(minhash.signature(one.text), minhash.signature(other.text))
    return found.similarity, found.containment


def _events(document) -> list[tuple[str, int | None, int | None, float, float]]:
    return list(
        ClusterEvent.objects.filter(document=document)
        .order_by("id")
        .values_list("action", "cluster_id", "match_id", "similarity", "containment")
    )


def test_a_document_linking_two_clusters_merges_them(near_copy):
    one = near_copy(ONE)
    one_edited = near_copy(zh_text.edited(ONE, every=20, seed=2))
    two = near_copy(TWO)
    two_edited = near_copy(zh_text.edited(TWO, every=20, seed=3))
    for document in (one, two):
        document.refresh_from_db()
    first, second = one.cluster_id, two.cluster_id
    assert first is not None and second is not None and first < second
    assert one_edited.cluster_id == first and two_edited.cluster_id == second

    both = near_copy(ONE + TWO)  # near every one of them: it links the clusters
    members = [one, one_edited, two, two_edited, both]
    for document in members:
        document.refresh_from_db()
    assert {document.cluster_id for document in members} == {first}
    assert _events(two) == [("merged", first, both.pk, *_alike(two, both))]
    assert _events(two_edited) == [
        ("joined", second, two.pk, *_alike(two_edited, two)),
        ("merged", first, both.pk, *_alike(two_edited, both)),
    ]
    [(action, cluster, match, similarity, containment)] = _events(both)
    closest = next(document for document in members if document.pk == match)
    assert (action, cluster, similarity, containment) == (
        "joined",
        first,
        *_alike(both, closest),
    )
    assert _events(one) == []  # it stayed where it was
    summary = cluster_of(both)
    assert (summary.original, summary.size) == (one, 5)
    assert Cluster.objects.filter(pk=second).exists()  # emptied, kept for the audit


def test_a_document_near_two_lone_ones_groups_all_three(near_copy):
    one = near_copy(ONE)
    two = near_copy(TWO)
    assert (one.cluster_id, two.cluster_id) == (None, None)
    both = near_copy(ONE + TWO)
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.cluster_id == two.cluster_id == both.cluster_id is not None
    [(action, cluster, match, _s, _c)] = _events(both)
    assert (action, cluster) == ("joined", both.cluster_id)
    founder, linked = (one, two) if match == one.pk else (two, one)
    # The closest founds the cluster with it; the other is linked in.
    assert _events(founder) == []
    assert _events(linked) == [
        ("merged", both.cluster_id, both.pk, *_alike(linked, both))
    ]
    assert cluster_of(both).original == one
