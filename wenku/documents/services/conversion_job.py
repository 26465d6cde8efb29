"""The conversion job: claim a processing document, convert it through the conversion
library, and publish it (pages, text, index entry, reward) or fail it, all or nothing.
A first conversion the site's review mode holds (`document_needs_review`) goes to
`in_review` instead, without pages shown early, index entry or reward: a moderator's
approval publishes it (wenku/moderation/review.py). So does a near-copy of another
member's priced document when the rules say so (services/near_duplicates.py).

A document converted for the first time is published with its first pages while
the rest are rendered (`rendering` is set and the lease held): readers see the
page count and the pages done so far; the text, keywords, outline, index entry and
reward come with the last page in one transaction. If it fails after that, it is
withdrawn (failed, pages gone) with its reason. A re-render keeps the old pages
until the new ones are all there."""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from wenku.conversion import limits, pipeline
from wenku.conversion.base import (
    Artifact,
    ConversionError,
    ConverterCrashed,
    RenderedPage,
    no_text,
)
from wenku.documents.models import Document, DocumentStatus, Page
from wenku.documents.selectors import document_needs_review
from wenku.documents.services.duplicates import text_fingerprint_unique
from wenku.documents.services.leases import (
    LeaseKeeper,
    ProgressRecorder,
    in_flight,
    worker_id,
)
from wenku.documents.services.near_duplicates import (
    NearCopyRefused,
    near_duplicate_check,
    near_duplicate_record,
    near_duplicate_refusal_record,
    publication_lock,
)
from wenku.search import minhash
from wenku.search import services as search
from wenku.wallet.services import wallet_reward_upload

logger = logging.getLogger(__name__)

PAGES_EVERY = 0.5  # seconds between writes of newly rendered pages (the first: at once)


def document_convert(*, document_id: int) -> str:
    """Convert a processing document and publish it, or fail it with a reason.

    Idempotent: anything not in flight (`processing`, or published early and
    still `rendering` when its worker died) is left alone. Returns "published",
    "in_review", "failed" or "skipped"; raises ConverterCrashed when a retry may
    still succeed.
    """
    max_attempts = settings.CONVERSION["MAX_ATTEMPTS"]
    lease = timedelta(seconds=settings.CONVERSION["LEASE_SECONDS"])
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or not in_flight(document):
            return "skipped"
        now = timezone.now()
        if (
            document.lease_expires_at is not None
            and document.lease_expires_at > now
            and document.lease_owner != worker_id()
        ):
            # Another worker holds a live claim (a duplicate delivery): leave it.
            return "skipped"
        document.conversion_attempts += 1
        document.lease_owner = worker_id()
        document.lease_expires_at = now + lease
        document.progress_stage = "converting"
        document.progress_current = document.progress_total = 0
        document.save(
            update_fields=[
                "conversion_attempts",
                "lease_owner",
                "lease_expires_at",
                "progress_stage",
                "progress_current",
                "progress_total",
                "updated_at",
            ]
        )
    attempts = document.conversion_attempts
    if attempts > max_attempts:
        # Only a worker killed mid-job gets here: it never reached the except below.
        _fail(document_id, ConversionError("crashed", f"{attempts - 1} attempts"))
        return "failed"
    with LeaseKeeper(document_id, lease):
        return _convert_claimed(document, attempts, max_attempts)


def _convert_claimed(document: Document, attempts: int, max_attempts: int) -> str:
    document_id = document.pk
    started = time.monotonic()
    stored = _StoredFiles()
    # Only a first conversion shows pages early (a re-render keeps the old ones), and
    # never one a moderator must see first.
    first = document.published_at is None
    early = (
        _EarlyPages(document, stored)
        if first and not document_needs_review(document)
        else None
    )
    with tempfile.TemporaryDirectory(prefix=f"wenku-job-{os.getpid()}-") as tmp:
        workdir = Path(tmp)
        source = workdir / f"source.{document.file_type}"
        with (
            default_storage.open(str(document.original.name), "rb") as src,
            source.open("wb") as dst,
        ):
            shutil.copyfileobj(src, dst, 1024 * 1024)
        try:
            artifact = pipeline.run(
                limits.context_from_settings(),
                source,
                document.file_type,
                workdir,
                progress=ProgressRecorder(document_id),
                pages_ready=early or _no_early_pages,
                text_known=early.text_known if early else no_text,
            )
        except ConverterCrashed as exc:
            if attempts >= max_attempts:
                _fail(document_id, ConversionError("crashed", f"{attempts} attempts"))
                return "failed"
            logger.warning(
                "document %s: converter crashed (%s), retrying", document.number, exc
            )
            # The retry may run in another worker process: let it claim the job.
            Document.objects.filter(pk=document_id, lease_owner=worker_id()).update(
                lease_owner="", lease_expires_at=None
            )
            raise
        except ConversionError as exc:
            logger.info("document %s failed: %s", document.number, exc)
            _fail(document_id, exc)
            return "failed"
        except BaseException:
            _delete_files(stored.uncommitted())
            raise
        _store_files(document, artifact, stored)
    try:
        outcome = _publish(document_id, artifact, stored)
    except ConversionError as exc:  # its text is on the site already, or banned
        _delete_files(stored.uncommitted())
        logger.info("document %s refused: %s", document.number, exc)
        _fail(document_id, exc)
        return "failed"
    except BaseException:
        _delete_files(stored.uncommitted())
        raise
    if not outcome:  # another run finished first; keep its files, drop ours
        _delete_files(stored.uncommitted())
        return "skipped"
    logger.info(
        "document %s %s: %s pages in %.2fs",
        document.number,
        outcome,
        artifact.page_count,
        time.monotonic() - started,
    )
    return outcome


class _StoredFiles:
    """Page images and cover this run put in storage; `committed` are those that
    Page rows already name (published early), which a lost race must not delete."""

    def __init__(self) -> None:
        self.generation = secrets.token_hex(4)
        self.pages: dict[int, str] = {}
        self.cover = ""
        self.committed: set[str] = set()

    def all_names(self) -> list[str]:
        return [*self.pages.values(), *([self.cover] if self.cover else [])]

    def uncommitted(self) -> list[str]:
        return [name for name in self.all_names() if name not in self.committed]


def _store_pages(
    document: Document, pages: tuple[RenderedPage, ...], stored: _StoredFiles
) -> None:
    for page in pages:
        if page.image is None or page.number in stored.pages:
            continue
        name = f"pages/{document.number}/{stored.generation}/{page.number}.webp"
        with page.image.open("rb") as handle:
            stored.pages[page.number] = default_storage.save(name, File(handle))


def _store_files(document: Document, artifact: Artifact, stored: _StoredFiles) -> None:
    """Save page images (those not saved early) and cover under this run's folder, so
    a re-render never overwrites what readers are looking at until it is published."""
    try:
        _store_pages(document, artifact.pages, stored)
        if artifact.cover is not None:
            name = f"covers/{document.number}/{stored.generation}.webp"
            with artifact.cover.open("rb") as handle:
                stored.cover = default_storage.save(name, File(handle))
    except BaseException:
        _delete_files(stored.uncommitted())
        raise


def _no_early_pages(page_count: int, pages: tuple[RenderedPage, ...]) -> None:
    """A re-render: the old pages stay until the new ones are all there."""


class _EarlyPages:
    """Publishes a first conversion with its first pages, then adds pages as they are
    rendered (at most every PAGES_EVERY seconds), while this worker holds the lease.
    Stops for good when the document is no longer its own (taken down, re-queued)."""

    def __init__(self, document: Document, stored: _StoredFiles) -> None:
        self.document = document
        self.stored = stored
        self.waiting: list[RenderedPage] = []
        self.last_write = 0.0
        self.stopped = False
        self.text_checked = False

    def text_known(self, text: str) -> None:
        """The text before any page is shown: a copy of a live or taken-down
        document is refused here, before rendering (ConversionError), and a
        near-copy the rules hold for review is not shown early. Publication checks
        again, in its transaction."""
        if not self.document.text_sha256:
            text_fingerprint_unique(self.document, text)
        if near_duplicate_check(self.document, minhash.signature(text)).review:
            self.stopped = True
        self.text_checked = True

    def __call__(self, page_count: int, pages: tuple[RenderedPage, ...]) -> None:
        if self.stopped or (
            not self.text_checked
            and pages
            and pages[-1].number == page_count
            and not self.last_write
        ):
            # Every page at once and the text not checked yet (a short scan): wait
            # for publication, which checks it. A checked document shows its first
            # page at once: publication's checks and index still take a while.
            return
        self.waiting.extend(page for page in pages if page.image is not None)
        if not self.waiting:
            return
        now = time.monotonic()
        if self.last_write and now - self.last_write < PAGES_EVERY:
            return
        self.last_write = now
        batch, self.waiting = tuple(self.waiting), []
        _store_pages(self.document, batch, self.stored)
        if not _write_pages(self.document.pk, page_count, batch, self.stored):
            self.stopped = True


def _page_row(document: Document, page: RenderedPage, image: str) -> Page:
    return Page(
        document=document,
        number=page.number,
        image=image,
        width=page.width,
        height=page.height,
        text=page.text,
    )


def _write_pages(
    document_id: int,
    page_count: int,
    pages: tuple[RenderedPage, ...],
    stored: _StoredFiles,
) -> bool:
    """Add rendered pages to a document this worker converts; the first batch
    publishes it (status published, `rendering`), without text or index entry."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if not in_flight(document) or document.lease_owner != worker_id():
            return False
        if not document.rendering:
            # The first batch. Rows left by a run that died are replaced, and their
            # files go once this commits.
            old_files = list(
                document.pages.exclude(image="").values_list("image", flat=True)
            )
            document.pages.all().delete()
            transaction.on_commit(lambda: _delete_files(old_files))
            document.status = DocumentStatus.PUBLISHED
            document.rendering = True
            document.published_at = timezone.now()
            document.failure_code = document.failure_reason = ""
        Page.objects.bulk_create(
            _page_row(document, page, stored.pages[page.number])
            for page in pages
            if page.number in stored.pages
        )
        document.page_count = page_count
        document.rendered_pages = document.pages.count()
        document.save(
            update_fields=[
                "status",
                "rendering",
                "published_at",
                "failure_code",
                "failure_reason",
                "page_count",
                "rendered_pages",
                "updated_at",
            ]
        )
        stored.committed.update(stored.pages[page.number] for page in pages)
    return True


def _publish(document_id: int, artifact: Artifact, stored: _StoredFiles) -> str:
    """Pages, text, outline, index entry and status in one transaction: all or
    nothing; returns "published", "in_review" (held for a moderator), or "" when
    another run finished first. A document published early keeps its status if
    moderation took it off meanwhile (its pages and text still complete); then it
    is not indexed. A first publication the review mode holds goes to review."""
    # Signed before the transaction: no lock is held while a long text is hashed.
    signature = minhash.signature(artifact.text)
    with transaction.atomic():
        publication_lock()  # first: the checks below see every publication before
        document = Document.objects.select_for_update().get(pk=document_id)
        ours = document.rendering and document.lease_owner == worker_id()
        if document.status != DocumentStatus.PROCESSING and not ours:
            return ""
        if not document.text_sha256:
            document.text_sha256 = text_fingerprint_unique(document, artifact.text)
        near = near_duplicate_check(document, signature)
        keep = set(stored.all_names())
        old_files = [
            name
            for name in document.pages.exclude(image="").values_list("image", flat=True)
            if name not in keep
        ]
        if document.cover and document.cover.name not in keep:
            old_files.append(document.cover.name)
        document.pages.all().delete()
        pages = Page.objects.bulk_create(
            _page_row(document, page, stored.pages[page.number])
            for page in artifact.pages
            if page.number in stored.pages
        )
        document.page_count = artifact.page_count
        document.rendered_pages = len(stored.pages)
        document.text = artifact.text
        document.keywords = list(artifact.keywords)
        document.outline = [
            [entry.level, entry.title, entry.page] for entry in artifact.outline
        ]
        document.cover = stored.cover
        # One published early is public already and stays so, unless it is a
        # near-copy the rules send to review (then it is withdrawn until approved);
        # review holds only a first publication (never a re-render).
        first = document.published_at is None or document.rendering
        review = (
            document.status == DocumentStatus.PROCESSING
            and document.published_at is None
            and document_needs_review(document)
        ) or (near.review and first and in_flight(document))
        publish = not review and document.status in (
            DocumentStatus.PROCESSING,
            DocumentStatus.PUBLISHED,
        )
        if review:
            document.status = DocumentStatus.IN_REVIEW
        elif publish:
            document.status = DocumentStatus.PUBLISHED
        document.rendering = False
        document.published_at = (
            None if review else document.published_at or timezone.now()
        )
        document.failure_code = document.failure_reason = ""
        document.lease_owner, document.lease_expires_at = "", None
        document.progress_stage = "done"
        document.progress_current = document.progress_total = artifact.page_count
        document.save()
        near_duplicate_record(document=document, check=near)
        if publish:
            search.index_document(
                document, pages=[(page.number, page.text) for page in pages]
            )
            # The uploader's reward is part of publishing: granted once per document
            # (for one held for review, when a moderator approves it).
            wallet_reward_upload(document=document)
        stored.committed.update(keep)
        transaction.on_commit(lambda: _delete_files(old_files))
    return "in_review" if review else "published"


def _fail(document_id: int, error: ConversionError) -> None:
    """Fail a document in flight with its reason; one published early is withdrawn:
    its pages go, it is no longer public, and nothing of it was indexed."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if not in_flight(document):
            return
        withdrawn: list[str] = []
        if document.rendering:
            withdrawn = list(
                document.pages.exclude(image="").values_list("image", flat=True)
            )
            document.pages.all().delete()
            document.rendering = False
            document.rendered_pages = 0
            document.published_at = None
        document.status = DocumentStatus.FAILED
        document.failure_code = error.code[:40]
        document.failure_reason = error.reason[:500]
        document.progress_stage = "failed"
        document.lease_owner, document.lease_expires_at = "", None
        document.save(
            update_fields=[
                "status",
                "failure_code",
                "failure_reason",
                "rendering",
                "rendered_pages",
                "published_at",
                "lease_owner",
                "lease_expires_at",
                "progress_stage",
                "updated_at",
            ]
        )
        if isinstance(error, NearCopyRefused):
            near_duplicate_refusal_record(document=document, refusal=error)
        search.remove_document(document)
        transaction.on_commit(lambda: _delete_files(withdrawn))


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not delete %s", name)
