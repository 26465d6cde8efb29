"""Two copies converting at the same moment, in two threads on real PostgreSQL
with real LibreOffice: publications' duplicate checks run one at a time
(``publication_lock``), so the second sees the first — a near-copy joins its
cluster, the same text in other bytes is refused.

The threads meet before publication; the first to finish its check then holds
until the other either waits for the lock (the fix) or has checked too (the race
this guards against, in which both would publish alone)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from wenku.conversion.tests import samples
from wenku.documents import services
from wenku.documents.models import ClusterEvent, Document, DocumentStatus
from wenku.documents.services import conversion_job
from wenku.search.tests import zh_text

pytestmark = [pytest.mark.libreoffice, pytest.mark.django_db(transaction=True)]

BASE = zh_text.sentences(1, 60)
EDITED = zh_text.edited(BASE, every=20, seed=2)


class _Converting(threading.Thread):
    """document_convert in another thread, as a worker would run it."""

    def __init__(self, document: Document) -> None:
        super().__init__(daemon=True)
        self.document_id = document.pk
        self.result = ""
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = services.document_convert(document_id=self.document_id)
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.error = exc
        finally:
            connection.close()


def _other_waits_for_the_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        )
        return cursor.fetchone()[0] > 0


def _convert_at_once(make_user, tmp_path: Path, monkeypatch, second: Path):
    """Upload the original and ``second``, convert both in threads that publish at
    the same moment; (the documents, the jobs, ids in the order they checked)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's IMMEDIATE transactions serialise publications already")
    first = samples.docx(tmp_path / "one.docx", BASE)
    documents = [
        services.document_upload(
            uploader=make_user(),
            file_name=path.name,
            path=path,
            copyright_declared=True,
        )
        for path in (first, second)
    ]
    together = threading.Barrier(2, timeout=120)
    real_publish = conversion_job._publish

    def publish_together(*args):
        together.wait()  # both conversions done: they publish at the same moment
        return real_publish(*args)

    checked: list[int] = []
    real_check = conversion_job.near_duplicate_check

    def check_then_hold(document, signature):
        found = real_check(document, signature)
        if connection.in_atomic_block:  # publication's check (not the early one)
            checked.append(document.pk)
            deadline = time.monotonic() + 60
            while len(checked) == 1 and time.monotonic() < deadline:
                if _other_waits_for_the_lock():
                    break
                time.sleep(0.01)
        return found

    monkeypatch.setattr(conversion_job, "_publish", publish_together)
    monkeypatch.setattr(conversion_job, "near_duplicate_check", check_then_hold)
    jobs = [_Converting(document) for document in documents]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join(180)
    assert [job.error for job in jobs] == [None, None]
    return documents, jobs, checked


def test_two_near_copies_converting_at_once_see_each_other(
    make_user, soffice, tmp_path: Path, monkeypatch
):
    second = samples.docx(tmp_path / "two.docx", EDITED)
    _documents, jobs, checked = _convert_at_once(
        make_user, tmp_path, monkeypatch, second
    )
    assert [job.result for job in jobs] == ["published", "published"]
    first_id, second_id = checked
    first, second = (Document.objects.get(pk=pk) for pk in (first_id, second_id))
    assert (first.status, second.status) == (DocumentStatus.PUBLISHED,) * 2
    assert first.cluster_id == second.cluster_id is not None
    assert list(
        ClusterEvent.objects.filter(document=second).values_list("action", "match_id")
    ) == [("joined", first.pk)]
    assert not ClusterEvent.objects.filter(document=first).exists()


def test_two_copies_of_one_text_converting_at_once_publish_once(
    make_user, soffice, tmp_path: Path, monkeypatch
):
    original = samples.docx(tmp_path / "same.docx", BASE)
    padded = tmp_path / "padded.docx"
    padded.write_bytes(original.read_bytes() + b"\0" * 512)
    documents, _jobs, checked = _convert_at_once(
        make_user, tmp_path, monkeypatch, padded
    )
    outcomes = {
        document.pk: (document.status, document.failure_code)
        for document in Document.objects.filter(pk__in=[d.pk for d in documents])
    }
    [published] = checked  # the other never reached the near-copy check
    loser = next(pk for pk in outcomes if pk != published)
    assert outcomes == {
        published: (DocumentStatus.PUBLISHED, ""),
        loser: (DocumentStatus.FAILED, "duplicate"),
    }
