"""Writes for reports and takedowns; every decision leaves an audit row."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from wenku.accounts.models import User
from wenku.documents.models import Document, DocumentStatus
from wenku.documents.services import document_set_status
from wenku.moderation.models import (
    ModerationAction,
    Report,
    ReportReason,
    ReportStatus,
)
from wenku.wallet.services import wallet_reverse_upload_reward

DESCRIPTION_MAX = 2000
CONTACT_MAX = 120


@dataclass(frozen=True)
class ReportRejected(Exception):
    """A report refused with a reason the reporter can act on ("中文 / English");
    ``field`` names the argument it is about."""

    code: str
    message: str
    field: str | None = None

    def __str__(self) -> str:
        return self.message


def _text(value: str, *, field: str, label: tuple[str, str], limit: int) -> str:
    text = (value or "").strip()
    if len(text) > limit or "\x00" in text:
        raise ReportRejected(
            f"bad_{field}",
            f"{label[0]}须为不超过 {limit} 个字符的文字 / The {label[1]} must be text "
            f"of at most {limit} characters",
            field=field,
        )
    return text


def report_create(
    *,
    document: Document,
    reporter: User | None,
    reason: str,
    description: str,
    contact: str,
) -> Report:
    """File a report against a document for moderators (a copyright complaint needs a
    contact to verify it)."""
    if reason not in ReportReason.values:
        raise ReportRejected(
            "bad_reason", "请选择举报原因 / Choose a reason", field="reason"
        )
    description = _text(
        description,
        field="description",
        label=("详细说明", "description"),
        limit=DESCRIPTION_MAX,
    )
    contact = _text(
        contact, field="contact", label=("联系方式", "contact"), limit=CONTACT_MAX
    )
    if reason == ReportReason.COPYRIGHT and not contact:
        raise ReportRejected(
            "contact_required",
            "侵权投诉需留下联系方式，以便核实 / Contact is required",
            field="contact",
        )
    return Report.objects.create(
        document=document,
        reporter=reporter,
        reason=reason,
        description=description,
        contact=contact,
    )


def document_take_down(
    *, document: Document, by: User, note: str, report: Report | None = None
) -> Document:
    """Take a document off the site (complaint upheld), with an audit row."""
    with transaction.atomic():
        before = document.status
        document = document_set_status(
            document=document, status=DocumentStatus.TAKEN_DOWN
        )
        wallet_reverse_upload_reward(document=document, taken_down=True)
        ModerationAction.objects.create(
            document=document,
            report=report,
            actor=by,
            action="take_down",
            from_status=before,
            to_status=document.status,
            note=note[:500],
        )
        open_reports = Report.objects.filter(
            document=document, status=ReportStatus.OPEN
        )
        open_reports.update(
            status=ReportStatus.TAKEN_DOWN,
            handled_by=by,
            handled_at=timezone.now(),
            resolution_note=note[:500],
        )
    return document


def document_restore(*, document: Document, by: User, note: str) -> Document:
    """Put a taken-down or in-review document back online, with an audit row."""
    with transaction.atomic():
        before = document.status
        document = document_set_status(
            document=document, status=DocumentStatus.PUBLISHED
        )
        ModerationAction.objects.create(
            document=document,
            actor=by,
            action="restore",
            from_status=before,
            to_status=document.status,
            note=note[:500],
        )
    return document


def report_resolve(*, report: Report, by: User, uphold: bool, note: str = "") -> Report:
    """Decide a report: uphold (take the document down) or reject it."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.OPEN:
            return report
        if uphold:
            document_take_down(
                document=report.document, by=by, note=note, report=report
            )
            report.refresh_from_db()
            return report
        report.status = ReportStatus.REJECTED
        report.handled_by = by
        report.handled_at = timezone.now()
        report.resolution_note = note[:500]
        report.save()
        ModerationAction.objects.create(
            document=report.document,
            report=report,
            actor=by,
            action="reject_report",
            from_status=report.document.status,
            to_status=report.document.status,
            note=note[:500],
        )
    return report
