"""Moderation reads: the queue, histories, strikes, upload blocks, transparency."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from wenku.moderation.models import (
    BannedContent,
    Case,
    CaseStatus,
    ModerationAction,
    ReportReason,
    Strike,
)

UPHELD = (
    CaseStatus.TAKEN_DOWN,
    CaseStatus.COUNTER_NOTICED,
    CaseStatus.LEGAL_ACTION,
    CaseStatus.RESTORED,
)


def strikes_active(user: Any) -> QuerySet[Strike]:
    """A member's strikes that still count: not voided, not expired."""
    return Strike.objects.filter(
        user_id=user.pk, voided_at=None, expires_at__gt=timezone.now()
    )


def upload_suspension(user: Any) -> str | None:
    """Why this member may not upload now (repeat infringer), or None."""
    strikes = list(strikes_active(user).order_by("expires_at"))
    if len(strikes) < settings.STRIKES_TO_SUSPEND:
        return None
    # Uploads come back when enough strikes expire to fall below the count.
    until = strikes[len(strikes) - settings.STRIKES_TO_SUSPEND].expires_at
    day = timezone.localtime(until).strftime("%Y-%m-%d")
    return (
        f"您有 {len(strikes)} 次侵权投诉成立的记录，上传已暂停至 {day}。"
        f" / {len(strikes)} upheld copyright complaints: uploads are suspended "
        f"until {day}."
    )


def content_banned(sha256: str) -> bool:
    """Whether these bytes were taken down and may not come back."""
    return BannedContent.objects.filter(sha256=sha256).exists()


def queue(*, kind: str = "", status: str = CaseStatus.OPEN) -> QuerySet[Case]:
    """Cases to decide, oldest first."""
    cases = Case.objects.select_related(
        "document", "document__uploader", "complaint", "report", "report__comment"
    ).filter(status=status)
    if kind in ReportReason.values:
        cases = cases.filter(kind=kind)
    return cases.order_by("created_at", "pk")


def queue_counts() -> dict[str, int]:
    """Open cases per kind, for the queue's tabs."""
    counts = Counter(
        Case.objects.filter(status=CaseStatus.OPEN).values_list("kind", flat=True)
    )
    return {kind: counts.get(kind, 0) for kind in ReportReason.values}


def document_history(document: Any) -> QuerySet[ModerationAction]:
    return ModerationAction.objects.filter(document=document).select_related(
        "actor", "case"
    )


def member_history(user: Any) -> dict[str, Any]:
    """What moderators need about an uploader: cases against their documents, strikes."""
    return {
        "cases": Case.objects.filter(document__uploader=user)
        .select_related("document")
        .order_by("-created_at")[:50],
        "strikes": Strike.objects.filter(user=user).select_related("case"),
        "active_strikes": strikes_active(user).count(),
    }


def takedown_case(document: Any) -> Case | None:
    """The decided case holding a document down (what its removed page explains)."""
    return (
        Case.objects.filter(
            document=document,
            status__in=(
                CaseStatus.TAKEN_DOWN,
                CaseStatus.COUNTER_NOTICED,
                CaseStatus.LEGAL_ACTION,
            ),
        )
        .select_related("counter_notice")
        .order_by("decided_at")
        .first()
    )


def transparency_notices(*, limit: int = 200) -> list[dict[str, Any]]:
    """Every copyright notice's cases with their outcome, no personal data."""
    cases = (
        Case.objects.filter(kind=ReportReason.COPYRIGHT)
        .select_related("document", "complaint", "counter_notice")
        .order_by("-created_at")[:limit]
    )
    rows = []
    for case in cases:
        notice = getattr(case, "counter_notice", None)
        restored = ModerationAction.objects.filter(case=case, action="restore").first()
        rows.append(
            {
                "case": case.pk,
                "complaint": case.complaint_id,
                "received": case.created_at,
                "work": case.complaint.work if case.complaint else "",
                "document": case.document.number,
                "status": case.status,
                "status_label": case.get_status_display(),
                "decided": case.decided_at,
                "reason": case.reason,
                "counter_noticed": notice.created_at if notice else None,
                "restored": restored.created_at if restored else None,
            }
        )
    return rows


def transparency_totals() -> list[dict[str, Any]]:
    """Per year: copyright cases received, upheld, rejected, counter-noticed, restored."""
    years: dict[int, Counter] = {}
    cases = Case.objects.filter(kind=ReportReason.COPYRIGHT).values_list(
        "created_at", "status", "counter_notice"
    )
    for created, status, notice in cases:
        counts = years.setdefault(timezone.localtime(created).year, Counter())
        counts["received"] += 1
        counts["upheld"] += status in UPHELD
        counts["rejected"] += status == CaseStatus.REJECTED
        counts["counter_noticed"] += notice is not None
        counts["restored"] += status == CaseStatus.RESTORED
    keys = ("received", "upheld", "rejected", "counter_noticed", "restored")
    return [
        {"year": year, **{key: years[year][key] for key in keys}}
        for year in sorted(years, reverse=True)
    ]


def cases_of_filer(user: Any) -> QuerySet[Case]:
    """The cases a member opened, by complaint or report."""
    return Case.objects.filter(
        Q(complaint__complainant=user) | Q(report__reporter=user)
    ).select_related("document")
