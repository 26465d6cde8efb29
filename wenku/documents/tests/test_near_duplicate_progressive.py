"""A near-copy long enough to be shown while it converts (its text is known only
when every page is rendered) and then held for review when its text completes:
withdrawn from every public view — page, page images, API, search, cached
pages — and waiting in the review queue, until a moderator approves it. Real
LibreOffice-free PDF conversion (pypdfium2) on a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client

from wenku.documents import services
from wenku.documents.models import ClusterEvent, DocumentStatus, Page
from wenku.documents.services.near_duplicates import (
    near_duplicate_check,
    near_duplicate_record,
)
from wenku.documents.tests.converting import Converting, wait_until_rendering
from wenku.moderation.review import review_approve
from wenku.search import minhash
from wenku.search import public as search
from wenku.search.models import FoldedPage
from wenku.search.tests import zh_text
from wenku.wallet.models import Transfer

pytestmark = pytest.mark.django_db(transaction=True)

# One sentence a page: 90 pages, past the 64 whose text is read before any shows.
SENTENCES = zh_text.sentences(11, 90)


def _pdf(path: Path, lines: list[str]) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    drawing = canvas.Canvas(str(path))
    for line in lines:
        drawing.setFont("STSong-Light", 14)
        drawing.drawString(72, 730, line)
        drawing.showPage()
    drawing.save()
    return path


def test_near_copy_shown_early_is_withdrawn_into_review(
    make_user, make_document, tmp_path: Path
):
    # Another member's priced original: the first 60 sentences.
    original = make_document(
        pages=["\n".join(SENTENCES[i : i + 10]) for i in range(0, 60, 10)],
        uploader=make_user("author"),
        price=5,
    )
    with transaction.atomic():
        check = near_duplicate_check(original, minhash.signature(original.text))
        near_duplicate_record(document=original, check=check)
    copier = make_user("copier")
    copy = services.document_upload(
        uploader=copier,
        file_name="加长版.pdf",
        path=_pdf(tmp_path / "加长版.pdf", SENTENCES),
        copyright_declared=True,
    )
    job = Converting(copy)
    job.start()
    early = wait_until_rendering(copy)
    reader = Client()
    shown = reader.get(copy.get_absolute_url())  # also kept in the page cache
    image = reader.get(f"/documents/{copy.number}/page/1.webp")
    job.join(120)

    assert (early.status, early.page_count) == (DocumentStatus.PUBLISHED, 90)
    assert (shown.status_code, image.status_code) == (200, 200)
    assert job.result == "in_review"
    copy.refresh_from_db()
    assert (copy.status, copy.rendering, copy.published_at) == (
        DocumentStatus.IN_REVIEW,
        False,
        None,
    )
    # Withdrawn from every public view.
    assert reader.get(copy.get_absolute_url()).status_code == 404
    assert reader.get(f"/documents/{copy.number}/page/1.webp").status_code == 404
    assert reader.get(f"/api/documents/{copy.number}").status_code == 404
    assert search.search("加长版", user=AnonymousUser()).total == 0
    assert not FoldedPage.objects.filter(document=copy).exists()
    assert not Transfer.objects.filter(document=copy).exists()  # no reward
    # Kept whole for the moderator, with why it waits.
    assert Page.objects.filter(document=copy).count() == 90
    [(action, match)] = ClusterEvent.objects.filter(document=copy).values_list(
        "action", "match_id"
    )
    assert (action, match) == ("review", original.pk)
    moderator = make_user("moderator", is_staff=True)
    staff = Client()
    staff.force_login(moderator)
    queue = staff.get("/moderation/review/").content.decode()
    assert f'<small data-near-copy="{original.number}">' in queue
    assert copy.get_absolute_url() in queue

    review_approve(document=copy, by=moderator)
    assert reader.get(copy.get_absolute_url()).status_code == 200
    assert [
        hit.document for hit in search.search("加长版", user=AnonymousUser()).results
    ] == [copy]
