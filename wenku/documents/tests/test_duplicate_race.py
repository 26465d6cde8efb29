"""One live copy of each file: the database constraint and the upload that loses a race."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from wenku.core.demo_content import make_docx
from wenku.documents.models import Document, DocumentStatus
from wenku.documents.services import UploadRejected, document_upload
from wenku.documents.services import upload as upload_module

DOCX = make_docx(["同一份文件", "两次上传，只留一份。"])


def _upload(user) -> Document:
    return document_upload(
        uploader=user, file_name="同一份.docx", data=DOCX, copyright_declared=True
    )


def _copy_of(document: Document, *, status: str) -> Document:
    return Document.objects.create(
        number=document.number + 1,
        title="副本",
        uploader=document.uploader,
        original=document.original.name,
        original_name="副本.docx",
        file_type="docx",
        sha256=document.sha256,
        size=document.size,
        status=status,
    )


@pytest.mark.django_db
def test_database_keeps_one_live_copy_of_a_file(make_user):
    first = _upload(make_user())
    for status in (
        DocumentStatus.PROCESSING,
        DocumentStatus.PUBLISHED,
        DocumentStatus.IN_REVIEW,
        DocumentStatus.TAKEN_DOWN,
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            _copy_of(first, status=status)
    assert Document.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("status", [DocumentStatus.FAILED, DocumentStatus.DELETED])
def test_a_failed_or_deleted_copy_does_not_block_a_new_upload(make_user, status):
    first = _upload(make_user())
    Document.objects.filter(pk=first.pk).update(status=status)
    second = _upload(make_user())
    assert (second.sha256, second.status) == (first.sha256, DocumentStatus.PROCESSING)
    assert second.original.name == first.original.name  # the stored file is reused


@pytest.mark.django_db
def test_upload_losing_the_race_is_the_same_duplicate_refusal(make_user, monkeypatch):
    """The other upload commits between our duplicate check and our insert."""
    winner = _upload(make_user())
    real_check = upload_module._live_copy
    calls: list[str] = []

    def check_before_the_winner_commits(sha256: str) -> Document | None:
        calls.append(sha256)
        return None if len(calls) == 1 else real_check(sha256)

    monkeypatch.setattr(upload_module, "_live_copy", check_before_the_winner_commits)
    with pytest.raises(UploadRejected) as refused:
        _upload(make_user())
    assert (refused.value.code, refused.value.message, refused.value.existing) == (
        "duplicate",
        "本站已有相同文件 / This file is already on the site",
        None,  # the winner is still converting: another member may not see it
    )
    assert len(calls) == 2  # the insert hit doc_live_sha256_unique, then looked
    assert list(Document.objects.all()) == [winner]
    assert default_storage.exists(winner.original.name)  # the winner's file stays
