"""document_convert and friends against a real database and real LibreOffice."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from wenku.conversion import office, pipeline
from wenku.conversion.tests import samples
from wenku.documents import services
from wenku.documents.models import DocumentStatus, Page
from wenku.documents.services import document_upload

pytestmark = [pytest.mark.libreoffice, pytest.mark.django_db]


@pytest.fixture
def upload(make_user, soffice, tmp_path: Path):
    user = make_user()

    def _upload(path: Path):
        return document_upload(
            uploader=user, file_name=path.name, path=path, copyright_declared=True
        )

    return _upload


def test_convert_publishes_in_one_go(upload, tmp_path: Path) -> None:
    path = samples.docx(tmp_path / "中文.docx", [samples.ZH_TITLE, samples.ZH_BODY])
    document = upload(path)
    assert document.status == DocumentStatus.PROCESSING

    assert services.document_convert(document_id=document.pk) == "published"

    document.refresh_from_db()
    assert document.status == DocumentStatus.PUBLISHED
    assert document.published_at is not None
    assert (document.page_count, document.rendered_pages) == (1, 1)
    assert document.text == f"{samples.ZH_TITLE}\n{samples.ZH_BODY}"
    assert document.keywords[:3] == ["文库", "转换", "测试"]
    assert (document.progress_stage, document.conversion_attempts) == ("done", 1)
    page = Page.objects.get(document=document)
    assert page.image.name.startswith(f"pages/{document.number}/")
    assert page.image.name.endswith("/1.webp")
    assert default_storage.exists(page.image.name)
    assert default_storage.exists(document.cover.name)
    assert (page.width, page.height) == (1000, 1295)  # US Letter


def test_converted_pages_are_searchable_page_by_page(upload, tmp_path: Path) -> None:
    """Publishing indexes the pages the conversion just wrote, folded, per page."""
    from django.contrib.auth.models import AnonymousUser

    from wenku.search import public as search
    from wenku.search.models import FoldedPage

    document = upload(samples.docx_pages(tmp_path / "two.docx", 2))
    assert services.document_convert(document_id=document.pk) == "published"
    document.refresh_from_db()
    folded = list(
        FoldedPage.objects.filter(document=document)
        .order_by("number")
        .values_list("number", "text")
    )
    assert [(number, text.strip()) for number, text in folded] == [
        (1, "page 1 of the sample"),
        (2, "page 2 of the sample"),
    ]
    found = search.search("SAMPLE", user=AnonymousUser())
    assert [hit.document for hit in found.results] == [document]
    matches = search.search_in_document(document, "Page 2", user=AnonymousUser())
    assert [(m.page, m.count) for m in matches] == [(2, 2)]


def test_convert_is_idempotent(upload, tmp_path: Path) -> None:
    document = upload(samples.docx_pages(tmp_path / "two.docx", 2))
    assert services.document_convert(document_id=document.pk) == "published"
    assert services.document_convert(document_id=document.pk) == "skipped"
    assert Page.objects.filter(document=document).count() == 2


def test_encrypted_fails_with_reason(upload, tmp_path: Path) -> None:
    plain = samples.text_pdf(tmp_path / "plain.pdf", 1)
    document = upload(samples.encrypted_pdf(tmp_path / "locked.pdf", plain))
    assert services.document_convert(document_id=document.pk) == "failed"
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.failure_code == "encrypted"
    assert document.failure_reason.startswith("文件已加密，请去除密码后重新上传")
    assert not Page.objects.filter(document=document).exists()


def test_soffice_killed_mid_job_retries_then_fails_cleanly(
    upload, monkeypatch, tmp_path: Path
) -> None:
    from wenku.documents.tasks import convert_document

    original = office.OfficeProcess._read_reply
    kills: list[int] = []

    def kill_during_job(self, timeout: float):
        if getattr(self, "soffice_pid", None):  # a job, not the startup handshake
            kills.append(self.soffice_pid)
            os.kill(self.soffice_pid, signal.SIGKILL)
        return original(self, timeout)

    monkeypatch.setattr(office.OfficeProcess, "_read_reply", kill_during_job)
    document = upload(samples.docx(tmp_path / "victim.docx", ["victim"]))
    convert_document.apply(kwargs={"document_id": document.pk})

    document.refresh_from_db()
    assert len(kills) == 3  # the first attempt and two retries
    assert len(set(kills)) == 3  # each on a fresh soffice
    assert document.status == DocumentStatus.FAILED
    assert (document.failure_code, document.conversion_attempts) == ("crashed", 3)
    assert document.failure_reason.startswith("转换多次崩溃")

    monkeypatch.setattr(office.OfficeProcess, "_read_reply", original)
    healthy = upload(samples.docx(tmp_path / "next.docx", ["next"]))
    convert_document.apply(kwargs={"document_id": healthy.pk})
    healthy.refresh_from_db()
    assert healthy.status == DocumentStatus.PUBLISHED


def test_worker_killed_before_finishing_fails_after_cap(upload, tmp_path: Path) -> None:
    document = upload(samples.docx(tmp_path / "a.docx", ["a"]))
    # Three deliveries already started and died with the worker (no except ran).
    type(document).objects.filter(pk=document.pk).update(conversion_attempts=3)
    assert services.document_convert(document_id=document.pk) == "failed"
    document.refresh_from_db()
    assert (document.status, document.failure_code) == ("failed", "crashed")


def test_requeue_stuck_documents(
    upload, monkeypatch, django_capture_on_commit_callbacks, tmp_path: Path
) -> None:
    from wenku.documents import tasks

    queued: list[int] = []
    monkeypatch.setattr(
        tasks.convert_document, "delay", lambda **kw: queued.append(kw["document_id"])
    )
    stuck = upload(samples.docx(tmp_path / "stuck.docx", ["stuck"]))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_stuck_documents(older_than_seconds=0) == 1
    assert queued == [stuck.pk]


def test_reconvert_replaces_pages(
    upload, monkeypatch, django_capture_on_commit_callbacks, tmp_path: Path
) -> None:
    from wenku.documents import tasks

    monkeypatch.setattr(tasks.convert_document, "delay", lambda **kw: None)
    document = upload(samples.docx_pages(tmp_path / "two.docx", 2))
    services.document_convert(document_id=document.pk)
    old_image = Page.objects.get(document=document, number=1).image.name

    with django_capture_on_commit_callbacks(execute=True):
        services.document_reconvert(document=document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.PROCESSING
    with django_capture_on_commit_callbacks(execute=True):
        assert services.document_convert(document_id=document.pk) == "published"

    new_image = Page.objects.get(document=document, number=1).image.name
    assert new_image != old_image
    assert default_storage.exists(new_image)
    assert not default_storage.exists(old_image)
    assert Page.objects.filter(document=document).count() == 2


def test_a_live_lease_of_another_worker_is_left_alone(upload, tmp_path: Path) -> None:
    from datetime import timedelta

    from django.utils import timezone

    document = upload(samples.docx(tmp_path / "a.docx", ["a"]))
    model = type(document)
    model.objects.filter(pk=document.pk).update(
        lease_owner="other-host:4242",
        lease_expires_at=timezone.now() + timedelta(seconds=30),
    )
    assert services.document_convert(document_id=document.pk) == "skipped"
    document.refresh_from_db()
    assert (document.status, document.conversion_attempts) == ("processing", 0)
    assert services.requeue_stuck_documents() == 0  # its worker is alive

    # The other worker died: its lease runs out, the sweep queues the job again.
    model.objects.filter(pk=document.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert services.requeue_stuck_documents() == 1
    document.refresh_from_db()
    assert (document.lease_owner, document.lease_expires_at) == ("", None)
    assert services.document_convert(document_id=document.pk) == "published"
    document.refresh_from_db()
    assert (document.lease_owner, document.lease_expires_at) == ("", None)
    assert document.conversion_attempts == 1


def test_unclaimed_documents_are_requeued_only_after_the_grace(
    upload, tmp_path: Path, settings
) -> None:
    document = upload(samples.docx(tmp_path / "b.docx", ["b"]))
    settings.CONVERSION = {**settings.CONVERSION, "UNCLAIMED_AFTER": 300}
    assert services.requeue_stuck_documents() == 0  # its message may still be queued
    assert services.requeue_stuck_documents(older_than_seconds=0) == 1
    document.refresh_from_db()
    assert document.progress_stage == "queued"


@pytest.mark.django_db(transaction=True)  # the renewing thread has its own connection
def test_the_lease_is_renewed_while_converting(
    upload, tmp_path: Path, settings, monkeypatch
) -> None:
    """A conversion longer than the lease keeps it (renewed from a thread)."""
    import time as time_module

    settings.CONVERSION = {**settings.CONVERSION, "LEASE_SECONDS": 1.5}
    document = upload(samples.docx(tmp_path / "slow.docx", ["slow"]))
    seen = []
    real_run = pipeline.run

    def slow_run(*args, **kwargs):
        first = type(document).objects.get(pk=document.pk).lease_expires_at
        time_module.sleep(2.5)
        seen.append(
            (first, type(document).objects.get(pk=document.pk).lease_expires_at)
        )
        return real_run(*args, **kwargs)

    monkeypatch.setattr(pipeline, "run", slow_run)
    assert services.document_convert(document_id=document.pk) == "published"
    ((first, later),) = seen
    assert later > first


def test_a_broker_failure_at_upload_loses_nothing(
    make_user, monkeypatch, django_capture_on_commit_callbacks, tmp_path: Path
) -> None:
    """The upload is accepted and kept; the sweep queues it once the broker is back."""
    from kombu.exceptions import OperationalError

    from wenku.documents import tasks

    def broker_down(**kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr(tasks.convert_document, "delay", broker_down)
    path = samples.docx(tmp_path / "queued.docx", ["排队"])
    with django_capture_on_commit_callbacks(execute=True):
        document = document_upload(
            uploader=make_user(),
            file_name=path.name,
            path=path,
            copyright_declared=True,
        )
    document.refresh_from_db()
    assert document.status == DocumentStatus.PROCESSING
    assert default_storage.exists(document.original.name)

    queued: list[int] = []
    monkeypatch.setattr(
        tasks.convert_document, "delay", lambda **kw: queued.append(kw["document_id"])
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_stuck_documents(older_than_seconds=0) == 1
    assert queued == [document.pk]
    assert services.document_convert(document_id=document.pk) == "published"
