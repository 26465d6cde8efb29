"""The conversion job: claim a processing document, convert it through the conversion
library, and publish it (pages, text, index entry, reward) or fail it, all or nothing."""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import socket
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from wenku.conversion import limits, pipeline
from wenku.conversion.base import Artifact, ConversionError, ConverterCrashed
from wenku.documents.models import Document, DocumentStatus, Page
from wenku.search import services as search
from wenku.wallet.services import wallet_reward_upload

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.3  # seconds between progress writes; stage changes always write


def document_convert(*, document_id: int) -> str:
    """Convert a processing document and publish it, or fail it with a reason.

    Idempotent: anything not `processing` is left alone. Returns "published",
    "failed" or "skipped"; raises ConverterCrashed when a retry may still succeed.
    """
    max_attempts = settings.CONVERSION["MAX_ATTEMPTS"]
    lease = timedelta(seconds=settings.CONVERSION["LEASE_SECONDS"])
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status != DocumentStatus.PROCESSING:
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
    with _LeaseKeeper(document_id, lease):
        return _convert_claimed(document, attempts, max_attempts)


def _convert_claimed(document: Document, attempts: int, max_attempts: int) -> str:
    document_id = document.pk
    started = time.monotonic()
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
                progress=_ProgressRecorder(document_id),
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
        stored = _store_files(document, artifact)
    try:
        published = _publish(document_id, artifact, stored)
    except BaseException:
        _delete_files(stored.all_names())
        raise
    if not published:  # another run finished first; keep its files, drop ours
        _delete_files(stored.all_names())
        return "skipped"
    logger.info(
        "document %s published: %s pages in %.2fs",
        document.number,
        artifact.page_count,
        time.monotonic() - started,
    )
    return "published"


def worker_id() -> str:
    """Who holds a conversion lease: host and process (each prefork child its own)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


class _LeaseKeeper:
    """Renews this worker's claim on a document every third of the lease while the
    conversion runs, from a thread (LibreOffice calls block for seconds)."""

    def __init__(self, document_id: int, lease: timedelta) -> None:
        self.document_id = document_id
        self.lease = lease
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _LeaseKeeper:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def _run(self) -> None:
        try:
            while not self.stop.wait(self.lease.total_seconds() / 3):
                Document.objects.filter(
                    pk=self.document_id,
                    status=DocumentStatus.PROCESSING,
                    lease_owner=worker_id(),
                ).update(lease_expires_at=timezone.now() + self.lease)
        except Exception:  # a missed renewal only risks a duplicate run
            logger.exception(
                "could not renew the lease of document %s", self.document_id
            )
        finally:
            connection.close()


class _ProgressRecorder:
    """Writes progress to the Document so the upload page can poll it (throttled)."""

    def __init__(self, document_id: int) -> None:
        self.document_id = document_id
        self.last_stage = ""
        self.last_write = 0.0

    def __call__(self, stage: str, current: int, total: int) -> None:
        now = time.monotonic()
        if (
            stage == self.last_stage
            and now - self.last_write < PROGRESS_EVERY
            and current not in (1, total)
        ):
            return
        self.last_stage, self.last_write = stage, now
        Document.objects.filter(
            pk=self.document_id, status=DocumentStatus.PROCESSING
        ).update(
            progress_stage=stage,
            progress_current=current,
            progress_total=total,
            updated_at=timezone.now(),
        )


class _StoredFiles:
    def __init__(self) -> None:
        self.pages: dict[int, str] = {}
        self.cover = ""

    def all_names(self) -> list[str]:
        return [*self.pages.values(), *([self.cover] if self.cover else [])]


def _store_files(document: Document, artifact: Artifact) -> _StoredFiles:
    """Save page images and cover under a fresh folder, so a re-render never
    overwrites what readers are looking at until the new pages are published."""
    stored = _StoredFiles()
    generation = secrets.token_hex(4)
    try:
        for page in artifact.pages:
            if page.image is None:
                continue
            name = f"pages/{document.number}/{generation}/{page.number}.webp"
            with page.image.open("rb") as handle:
                stored.pages[page.number] = default_storage.save(name, File(handle))
        if artifact.cover is not None:
            name = f"covers/{document.number}/{generation}.webp"
            with artifact.cover.open("rb") as handle:
                stored.cover = default_storage.save(name, File(handle))
    except BaseException:
        _delete_files(stored.all_names())
        raise
    return stored


def _publish(document_id: int, artifact: Artifact, stored: _StoredFiles) -> bool:
    """Pages, text, index entry and status in one transaction: all or nothing."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status != DocumentStatus.PROCESSING:
            return False
        old_files = [
            name
            for name in document.pages.exclude(image="").values_list("image", flat=True)
        ]
        if document.cover:
            old_files.append(document.cover.name)
        document.pages.all().delete()
        pages = Page.objects.bulk_create(
            Page(
                document=document,
                number=page.number,
                image=stored.pages.get(page.number, ""),
                width=page.width,
                height=page.height,
                text=page.text,
            )
            for page in artifact.pages
            if page.number in stored.pages
        )
        document.page_count = artifact.page_count
        document.rendered_pages = len(stored.pages)
        document.text = artifact.text
        document.keywords = list(artifact.keywords)
        document.cover = stored.cover
        document.status = DocumentStatus.PUBLISHED
        document.published_at = document.published_at or timezone.now()
        document.failure_code = document.failure_reason = ""
        document.lease_owner, document.lease_expires_at = "", None
        document.progress_stage = "done"
        document.progress_current = document.progress_total = artifact.page_count
        document.save()
        search.index_document(
            document, pages=[(page.number, page.text) for page in pages]
        )
        # The uploader's reward is part of publishing: granted once per document.
        wallet_reward_upload(document=document)
        transaction.on_commit(lambda: _delete_files(old_files))
    return True


def _fail(document_id: int, error: ConversionError) -> None:
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status != DocumentStatus.PROCESSING:
            return
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
                "lease_owner",
                "lease_expires_at",
                "progress_stage",
                "updated_at",
            ]
        )
        search.remove_document(document)


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not delete %s", name)
