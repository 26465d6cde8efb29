"""Progressive publishing and the outline, against a real database, real
LibreOffice/WeasyPrint and real pypdfium2: a first conversion is readable with its
first pages, the rest follow, the text is indexed when it is complete, and one that
fails later is withdrawn with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.test import Client

from wenku.conversion.tests import book_samples, samples
from wenku.documents import services
from wenku.documents.models import Document, DocumentStatus, Page
from wenku.documents.tests.converting import Converting, wait_until_rendering
from wenku.search import public as search
from wenku.search.models import FoldedPage

pytestmark = [pytest.mark.libreoffice, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def upload(make_user, soffice):
    user = make_user()

    def _upload(path: Path) -> Document:
        return services.document_upload(
            uploader=user, file_name=path.name, path=path, copyright_declared=True
        )

    return _upload


def test_big_pdf_is_readable_before_its_last_page(upload, tmp_path: Path) -> None:
    document = upload(samples.text_pdf(tmp_path / "长文档.pdf", pages=150))
    job = Converting(document)
    job.start()

    early = wait_until_rendering(document)
    pages_then = Page.objects.filter(document=document).count()
    reader = Client()
    detail = reader.get(f"/documents/{document.number}/").content.decode()
    first_page = reader.get(f"/documents/{document.number}/page/1.webp")
    indexed_then = FoldedPage.objects.filter(document=document).count()
    job.join(120)

    assert (early.status, early.page_count) == (DocumentStatus.PUBLISHED, 150)
    assert early.published_at is not None
    assert 1 <= early.rendered_pages <= pages_then < 150
    assert "第1页 / 共150页" in detail
    assert "正在生成页面" in detail
    assert first_page.status_code == 200
    assert indexed_then == 0  # search indexes the text when it is complete
    assert job.result == "published"
    document.refresh_from_db()
    assert (document.rendering, document.rendered_pages, document.page_count) == (
        False,
        150,
        150,
    )
    assert document.text.startswith(f"Text PDF page 1\n{samples.ZH_TITLE}")
    assert FoldedPage.objects.filter(document=document).count() == 150
    found = search.search("Text PDF page", user=AnonymousUser())
    assert [hit.document for hit in found.results] == [document]
    assert (
        "正在生成页面"
        not in reader.get(f"/documents/{document.number}/").content.decode()
    )


def test_document_failing_after_its_first_pages_is_withdrawn(
    upload, settings, tmp_path: Path
) -> None:
    # One second for the whole render: it times out long before page 400.
    settings.CONVERSION = {**settings.CONVERSION, "JOB_TIMEOUT": 1}
    document = upload(samples.text_pdf(tmp_path / "超时.pdf", pages=400))
    job = Converting(document)
    job.start()

    early = wait_until_rendering(document)
    images = list(
        Page.objects.filter(document=document).values_list("image", flat=True)
    )
    job.join(120)

    assert (early.status, early.page_count) == (DocumentStatus.PUBLISHED, 400)
    assert images and all(
        name.startswith(f"pages/{document.number}/") for name in images
    )
    assert job.result == "failed"
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.failure_code == "timeout"
    assert document.failure_reason == (
        "转换超时，文件可能过大或过于复杂 / Conversion timed out; the file may be "
        "too large or complex（rendering pages）"
    )
    assert (document.rendering, document.rendered_pages) == (False, 0)
    assert document.published_at is None
    assert not Page.objects.filter(document=document).exists()
    assert not any(default_storage.exists(name) for name in images)
    assert FoldedPage.objects.filter(document=document).count() == 0
    assert Client().get(f"/documents/{document.number}/").status_code == 404


def test_epub_publishes_with_its_outline(upload, tmp_path: Path) -> None:
    document = upload(book_samples.epub(tmp_path / "新征程.epub"))

    assert services.document_convert(document_id=document.pk) == "published"

    document.refresh_from_db()
    assert (document.status, document.file_type) == (DocumentStatus.PUBLISHED, "epub")
    assert (document.page_count, document.rendered_pages) == (4, 4)
    assert document.text.startswith(book_samples.BOOK[0].title)
    assert [tuple(entry) for entry in document.outline] == book_samples.BOOK_OUTLINE
    assert document.rendering is False


_SPEECH = [
    "副区长在2021年教育工作会议上的讲话",
    "同志们：今天我们召开全区教育工作会议，总结去年工作，部署今年任务。",
    "踏进新征程，抢抓新机遇，坚定建设基础教育强区的思想定力，办好人民满意的教育。",
    "要坚持立德树人，深化课程改革，加强教师队伍建设，推动义务教育优质均衡发展。",
]


@pytest.fixture
def saved_states():
    """(status, rendering, rendered_pages) of every save of a document, in order."""
    from django.db.models.signals import post_save

    states: list[tuple[str, bool, int]] = []

    def note(sender, instance, **kwargs):
        states.append((instance.status, instance.rendering, instance.rendered_pages))

    post_save.connect(note, sender=Document, weak=False)
    yield states
    post_save.disconnect(note, sender=Document)


def test_short_document_shows_its_first_pages_before_publication(
    upload, saved_states, tmp_path: Path
) -> None:
    """Its text is checked before its pages show, so a two-page document need not
    wait for publication's checks and index to be readable."""
    document = upload(samples.docx_pages(tmp_path / "两页.docx", pages=2))
    assert services.document_convert(document_id=document.pk) == "published"
    document.refresh_from_db()
    assert document.page_count == 2
    shown = [state for state in saved_states if state[1]]
    assert shown and shown[0][0] == DocumentStatus.PUBLISHED
    assert 1 <= shown[0][2] <= document.page_count
    assert saved_states[-1] == (
        DocumentStatus.PUBLISHED,
        False,
        document.page_count,
    )


def test_text_copy_is_refused_before_any_page_shows(
    upload, make_user, saved_states, tmp_path: Path
) -> None:
    original = samples.docx(tmp_path / "讲话.docx", _SPEECH)
    first = upload(original)
    assert services.document_convert(document_id=first.pk) == "published"
    padded = tmp_path / "讲话-副本.docx"
    padded.write_bytes(original.read_bytes() + b"\0" * 512)
    saved_states.clear()

    copy = services.document_upload(
        uploader=make_user("copier"),
        file_name=padded.name,
        path=padded,
        copyright_declared=True,
    )
    assert services.document_convert(document_id=copy.pk) == "failed"
    copy.refresh_from_db()

    assert (copy.status, copy.failure_code) == (DocumentStatus.FAILED, "duplicate")
    assert all(status != DocumentStatus.PUBLISHED for status, _, _ in saved_states)
    assert all(rendered == 0 for _, _, rendered in saved_states)
    assert not Page.objects.filter(document=copy).exists()
