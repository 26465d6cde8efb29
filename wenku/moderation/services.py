"""Writes for reports and takedowns; every decision leaves an audit row."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from wenku.accounts.models import User
from wenku.documents.models import Document, DocumentStatus
from wenku.documents.services import document_set_status
from wenku.moderation.models import ModerationAction, Report, ReportStatus


def report_create(
    *,
    document: Document,
    reporter: User | None,
    reason: str,
    description: str,
    contact: str,
) -> Report:
    """File a report against a document for moderators."""
    return Report.objects.create(
        document=document,
        reporter=reporter,
        reason=reason,
        description=description[:2000],
        contact=contact[:120],
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
