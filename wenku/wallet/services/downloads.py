"""Writes around downloads: the member's download history (free ones within the
daily limits) and the download counter."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from wenku.documents.models import Document
from wenku.wallet.ledger import accounts_lock, member_account
from wenku.wallet.models import DownloadKind, DownloadRecord
from wenku.wallet.selectors import download_allowed_free


def download_record(
    *, user: Any, ip: str | None, document: Any, kind: DownloadKind
) -> bool:
    """Write a member's download into their history (one row per document and day);
    a free one counts against today's free limits first: False when over a limit.

    Downloading the same document again on the same day is free of quota.
    """
    day = timezone.localdate()
    wallet = member_account(user)
    with transaction.atomic():
        # The wallet row lock serialises one member's downloads, so the count holds.
        accounts_lock([wallet])
        if DownloadRecord.objects.filter(
            user_id=user.pk, document_id=document.pk, day=day
        ).exists():
            return True
        if kind == DownloadKind.FREE and not download_allowed_free(user, ip):
            return False
        try:
            with transaction.atomic():
                DownloadRecord.objects.create(
                    user_id=user.pk,
                    document_id=document.pk,
                    kind=kind,
                    ip=ip or None,
                    day=day,
                )
        except IntegrityError:
            pass
    return True


def document_download_count(*, document: Any) -> None:
    """Add one to the document's download counter (F() so concurrent adds all land).
    Cached pages keep the old count for their lifetime, as for views."""
    Document.objects.filter(pk=document.pk).count_quietly(downloads=F("downloads") + 1)
