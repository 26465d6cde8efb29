"""Review before publishing (发布前审核): a moderator approves or rejects an upload the
site's review mode held back (SiteSettings.review_mode).

The conversion job sends such a document to ``in_review`` instead of publishing it
(``wenku.documents.selectors.document_needs_review``, the rule ``review_needed``
names here). Each decision locks the document, moves it through
``document_set_status``, writes a ``ModerationAction`` audit row and tells the
uploader, in one transaction; approving publishes it and pays the upload reward
the wallet's rules allow, which the conversion held back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from wenku.documents.access import document_access, may_review
from wenku.documents.models import Document, DocumentStatus
from wenku.documents.selectors import document_needs_review
from wenku.documents.services import document_set_status
from wenku.moderation.models import ModerationAction
from wenku.notifications.services import notify
from wenku.wallet.services import wallet_reward_upload

REASON_MAX = 500
# Offered on the review page; a moderator may write any other reason.
REASON_TEMPLATES = (
    gettext_noop("内容质量过低"),
    gettext_noop("疑似侵权"),
    gettext_noop("广告或垃圾信息"),
    gettext_noop("分类或标题不符"),
)


@dataclass(frozen=True)
class ReviewRefused(Exception):
    """A review decision refused with a reason the moderator can act on
    ("中文 / English"); ``field`` names the argument it is about, ``status`` the
    HTTP status a page answers with."""

    code: str
    message: str
    field: str | None = None
    status: int = 400

    def __str__(self) -> str:
        return self.message


def review_needed(document: Document) -> bool:
    """Whether the site's review mode holds this upload for a moderator."""
    return document_needs_review(document)


def _reason(value: str, *, required: bool) -> str:
    reason = (value or "").strip()
    if required and not reason:
        raise ReviewRefused(
            "reason_required",
            "驳回须填写理由，上传者会看到它 / A rejection needs a reason; the "
            "uploader will see it",
            field="reason",
        )
    if len(reason) > REASON_MAX or "\x00" in reason:
        raise ReviewRefused(
            "bad_reason",
            f"理由须为不超过 {REASON_MAX} 个字符的文字 / The reason must be text of "
            f"at most {REASON_MAX} characters",
            field="reason",
        )
    return reason


def _lock_in_review(*, document: Document, by: Any) -> Document:
    """The document, locked, if ``by`` may decide it now; refused otherwise."""
    if not may_review(by):
        raise ReviewRefused(
            "not_staff",
            "只有管理员可以审核文档 / Only staff can review documents",
            status=403,
        )
    locked = (
        Document.objects.select_for_update()
        .select_related("uploader")
        .get(pk=document.pk)
    )
    if not document_access(user=by, document=locked).review:
        raise ReviewRefused(
            "not_in_review",
            f"该文档不在审核中（当前状态：{locked.get_status_display()}），可能已被"
            f"其他管理员处理 / This document is not in review (it is "
            f"{locked.status}); another moderator may have decided it",
            status=409,
        )
    return locked


def _audit(*, document: Document, by: Any, action: str, before: str, note: str) -> None:
    ModerationAction.objects.create(
        document=document,
        actor=by,
        action=action,
        from_status=before,
        to_status=document.status,
        note=note[:REASON_MAX],
    )


def review_approve(*, document: Document, by: Any, reason: str = "") -> Document:
    """Publish a document held for review, pay its upload reward, audit, notify."""
    note = _reason(reason, required=False)
    with transaction.atomic():
        locked = _lock_in_review(document=document, by=by)
        before = locked.status
        published = document_set_status(
            document=locked, status=DocumentStatus.PUBLISHED
        )
        # Held back at conversion: publishing is what earns it (once per document).
        wallet_reward_upload(document=published)
        _audit(
            document=published,
            by=by,
            action="review_approve",
            before=before,
            note=note,
        )
        notify(
            user=locked.uploader,
            kind="review_approved",
            title=gettext_noop("《%(title)s》已通过审核并发布"),
            body=(
                gettext_noop(
                    "您上传的文档已通过审核，现在所有人都能看到它。\n审核意见：%(note)s"
                )
                if note
                else gettext_noop("您上传的文档已通过审核，现在所有人都能看到它。")
            ),
            link=locked.get_absolute_url(),
            params={"title": locked.title, "note": note},
        )
    return published


def review_reject(*, document: Document, by: Any, reason: str) -> Document:
    """Refuse a document held for review with a reason the uploader sees; audit,
    notify. It stays visible to its uploader and staff only, and earns nothing."""
    note = _reason(reason, required=True)
    with transaction.atomic():
        locked = _lock_in_review(document=document, by=by)
        before = locked.status
        rejected = document_set_status(
            document=locked, status=DocumentStatus.REJECTED, reason=note
        )
        _audit(
            document=rejected,
            by=by,
            action="review_reject",
            before=before,
            note=note,
        )
        notify(
            user=locked.uploader,
            kind="review_rejected",
            title=gettext_noop("《%(title)s》未通过审核"),
            body=gettext_noop("您上传的文档未通过审核，不会发布。理由：%(note)s"),
            link=locked.get_absolute_url(),
            params={"title": locked.title, "note": note},
        )
    return rejected
