"""API routes of moderation: reports, complaints, the staff queue and decisions,
counter-notices and the transparency record — the same services as the site."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from wenku.accounts.api_auth import bearer, optional_bearer_user
from wenku.core.clientip import visitor_hash
from wenku.core.ratelimit import by_member_or_ip, rate_limit_check
from wenku.documents.access import document_lookup
from wenku.moderation.models import Case, CaseStatus
from wenku.moderation.selectors import queue, transparency_notices, transparency_totals
from wenku.moderation.services import (
    ReportRejected,
    case_decide,
    complaint_file,
    counter_notice_file,
    report_create,
)

router = Router(tags=["moderation"])
NOT_FOUND = "文档不存在 / Document not found"


class Message(Schema):
    message: str


class MissingMessage(Schema):
    message: str
    missing: list[str] = []


class ReportIn(Schema):
    reason: str = Field(..., max_length=20)
    description: str = Field("", max_length=2000)
    contact: str = Field("", max_length=120)


class CaseRef(Schema):
    id: int
    document: int


class FiledOut(Schema):
    id: int
    status: str
    cases: list[CaseRef]


class ComplaintIn(Schema):
    name: str = Field("", max_length=100)
    contact: str = Field("", max_length=120)
    address: str = Field("", max_length=300)
    work: str = Field("", max_length=300)
    documents: list[int | str] = Field(default_factory=list, max_length=20)
    proof: str = Field("", max_length=4000)
    good_faith: bool = False
    accurate: bool = False
    signature: str = Field("", max_length=100)
    agent_for: str = Field("", max_length=100)


class QueueItem(Schema):
    id: int
    kind: str
    status: str
    document: int
    title: str
    # The comment reported (a comment's case: take_down hides it), else null.
    comment: int | None = None
    created_at: datetime


class QueueIn(Schema):
    kind: str = Field("", max_length=20)
    status: str = Field("open", max_length=20)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class DecisionIn(Schema):
    action: str = Field(..., max_length=20)
    reason: str = Field("", max_length=500)


class DecisionOut(Schema):
    id: int
    status: str
    document: int
    refunded: int


class CounterNoticeIn(Schema):
    name: str = Field("", max_length=100)
    contact: str = Field("", max_length=120)
    address: str = Field("", max_length=300)
    statement: str = Field("", max_length=4000)
    signature: str = Field("", max_length=100)


class CounterNoticeOut(Schema):
    case: int
    status: str
    restore_after: datetime


def _refused(exc: ReportRejected) -> HttpError:
    return HttpError(exc.status, exc.message)


def _cases(filed: list[Case]) -> list[dict]:
    return [{"id": case.pk, "document": case.document.number} for case in filed]


@router.post(
    "/documents/{number}/reports",
    response={201: FiledOut, 400: Message, 404: Message, 429: Message},
    summary="举报 / Report a document",
)
def report(request: HttpRequest, number: int, payload: ReportIn):
    user = optional_bearer_user(request)
    request.auth = user
    refused = rate_limit_check(request, "report", by_member_or_ip)
    if refused is not None:
        return refused
    document, access = document_lookup(number=number, user=user)
    if document is None or not access.report:
        raise HttpError(404, NOT_FOUND)
    try:
        filed = report_create(
            document=document,
            reporter=user,
            reason=payload.reason,
            description=payload.description,
            contact=payload.contact,
            visitor=visitor_hash(request),
        )
    except ReportRejected as exc:
        raise _refused(exc) from exc
    return Status(
        201,
        {
            "id": filed.pk,
            "status": filed.case.status,
            "cases": _cases([filed.case]),
        },
    )


@router.post(
    "/complaints",
    response={201: FiledOut, 400: MissingMessage, 409: Message, 429: Message},
    summary="侵权投诉 / File a copyright complaint",
)
def complaint(request: HttpRequest, payload: ComplaintIn):
    user = optional_bearer_user(request)
    request.auth = user
    refused = rate_limit_check(request, "complaint", by_member_or_ip)
    if refused is not None:
        return refused
    try:
        filed = complaint_file(complainant=user, **payload.dict())
    except ReportRejected as exc:
        if exc.missing:
            return Status(400, {"message": exc.message, "missing": list(exc.missing)})
        raise _refused(exc) from exc
    cases = list(filed.cases.select_related("document"))
    return Status(201, {"id": filed.pk, "status": "received", "cases": _cases(cases)})


def _staff(request: HttpRequest):
    if not request.auth.is_staff:
        raise HttpError(403, "仅审核员可以访问 / Moderators only")
    return request.auth


@router.get(
    "/moderation/queue",
    auth=bearer,
    response={200: list[QueueItem], 403: Message},
    summary="审核队列 / Cases to decide, oldest first (staff)",
)
def moderation_queue(request: HttpRequest, params: Query[QueueIn]):
    _staff(request)
    status = params.status if params.status in CaseStatus.values else CaseStatus.OPEN
    cases = queue(kind=params.kind, status=status)[
        params.offset : params.offset + params.limit
    ]
    return [
        {
            "id": case.pk,
            "kind": case.kind,
            "status": case.status,
            "document": case.document.number,
            "title": case.document.title,
            "comment": case.comment_id,
            "created_at": case.created_at,
        }
        for case in cases
    ]


@router.post(
    "/moderation/cases/{case_id}/decision",
    auth=bearer,
    response={200: DecisionOut, 400: Message, 403: Message, 404: Message, 409: Message},
    summary="处理案件 / Decide a case: take_down or reject (staff)",
)
def decision(request: HttpRequest, case_id: int, payload: DecisionIn):
    moderator = _staff(request)
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise HttpError(404, "案件不存在 / No such case")
    try:
        decided = case_decide(
            case=case, by=moderator, action=payload.action, reason=payload.reason
        )
    except ReportRejected as exc:
        raise _refused(exc) from exc
    return {
        "id": decided.case.pk,
        "status": decided.case.status,
        "document": decided.case.document.number,
        "refunded": decided.refunded,
    }


@router.post(
    "/documents/{number}/counter-notice",
    auth=bearer,
    response={201: CounterNoticeOut, 400: MissingMessage, 404: Message, 409: Message},
    summary="反通知 / The uploader's counter-notice",
)
def counter_notice(request: HttpRequest, number: int, payload: CounterNoticeIn):
    document, _access = document_lookup(number=number, user=request.auth)
    if document is None or document.uploader_id != request.auth.pk:
        raise HttpError(404, NOT_FOUND)
    try:
        notice = counter_notice_file(
            document=document, uploader=request.auth, **payload.dict()
        )
    except ReportRejected as exc:
        if exc.missing:
            return Status(400, {"message": exc.message, "missing": list(exc.missing)})
        raise _refused(exc) from exc
    notice.case.refresh_from_db()
    return Status(
        201,
        {
            "case": notice.case_id,
            "status": notice.case.status,
            "restore_after": notice.restore_after,
        },
    )


class TransparencyRow(Schema):
    case: int
    complaint: int | None
    received: datetime
    work: str
    document: int
    status: str
    decided: datetime | None
    reason: str
    counter_noticed: datetime | None
    restored: datetime | None


class TransparencyTotals(Schema):
    year: int
    received: int
    upheld: int
    rejected: int
    counter_noticed: int
    restored: int


class TransparencyOut(Schema):
    totals: list[TransparencyTotals]
    notices: list[TransparencyRow]


@router.get(
    "/transparency",
    response=TransparencyOut,
    summary="透明度报告 / Every notice and its outcome, no personal data",
)
def transparency(request: HttpRequest):
    return {"totals": transparency_totals(), "notices": transparency_notices()}
