"""Decisions on cases: take down (ban the bytes, refund buyers, strike the uploader)
or reject; restore; a comment's case hides the comment. Each writes its audit row
in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from wenku.accounts.models import User
from wenku.community.models import Comment
from wenku.community.services import comment_hide, comment_unhide
from wenku.documents.models import Document, DocumentStatus
from wenku.documents.services import document_set_status
from wenku.moderation.models import (
    DECIDED,
    BannedContent,
    Case,
    CaseStatus,
    ModerationAction,
    ReportReason,
    Strike,
)
from wenku.moderation.selectors import strikes_active
from wenku.moderation.services.errors import ReportRejected
from wenku.notifications.services import notify
from wenku.wallet.models import Purchase, PurchaseStatus
from wenku.wallet.services import purchase_refund, wallet_reverse_upload_reward

REASON_MAX = 500
TAKE_DOWN = "take_down"
REJECT = "reject"
ACTIONS = (TAKE_DOWN, REJECT)


@dataclass(frozen=True)
class Decision:
    case: Case
    refunded: int  # purchases refunded by this decision


def audit(
    *,
    document: Document,
    actor: User | None,
    action: str,
    before: str,
    note: str,
    case: Case | None = None,
    comment: Comment | None = None,
) -> ModerationAction:
    """The append-only row every moderation decision writes; with ``comment``, a
    decision on that comment (``before`` and the new status are the comment's)."""
    return ModerationAction.objects.create(
        document=document,
        case=case,
        report=case.report if case is not None else None,
        comment=comment,
        actor=actor,
        action=action,
        from_status=before,
        to_status=(
            comment.status
            if comment is not None
            else Document.objects.values_list("status", flat=True).get(pk=document.pk)
        ),
        note=note[:REASON_MAX],
    )


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ReportRejected(
            "reason_required",
            "请填写处理理由，上传者和投诉人会看到它 / Give a reason: the uploader and "
            "the complainant see it",
            field="reason",
        )
    if len(reason) > REASON_MAX:
        raise ReportRejected(
            "bad_reason",
            f"处理理由不超过 {REASON_MAX} 个字符 / The reason must be at most "
            f"{REASON_MAX} characters",
            field="reason",
        )
    return reason


def _locked_open(case: Case) -> Case:
    current = (
        Case.objects.select_for_update().select_related("document").get(pk=case.pk)
    )
    if current.status != CaseStatus.OPEN:
        raise ReportRejected(
            "decided",
            f"案件 #{current.pk} 已处理（{current.get_status_display()}） / Case "
            f"#{current.pk} was already decided",
            status=409,
        )
    return current


def _refund_buyers(document: Document, *, by: User, reason: str) -> int:
    if settings.TAKEDOWN_REFUND != "full":
        return 0
    purchases = Purchase.objects.filter(document=document, status=PurchaseStatus.PAID)
    refunded = 0
    for purchase in purchases.select_related("buyer"):
        purchase_refund(
            purchase=purchase,
            by=by,
            reason=f"文档因投诉下架：{reason}",
            platform_covers_shortfall=True,
        )
        refunded += 1
        notify(
            user=purchase.buyer,
            kind="refund",
            title=gettext_noop("《%(title)s》已下架，%(price)s 积分已退回"),
            body=gettext_noop(
                "您购买的文档因投诉成立被下架（%(reason)s），购买时支付的 "
                "%(price)s 积分已原路退回您的钱包。"
            ),
            link="/wallet/",
            params={"title": document.title, "price": purchase.price, "reason": reason},
        )
    return refunded


def _strike(case: Case, uploader: User) -> None:
    Strike.objects.create(
        user=uploader,
        case=case,
        expires_at=timezone.now() + timedelta(days=settings.STRIKE_DAYS),
    )
    count = strikes_active(uploader).count()
    suspended = count >= settings.STRIKES_TO_SUSPEND
    notify(
        user=uploader,
        kind="strike",
        title=gettext_noop("侵权记录：第 %(count)s 次"),
        body=(
            gettext_noop(
                "侵权投诉成立计入一次侵权记录（%(days)s 天后失效）。"
                "有效记录已达 %(limit)s 次，您的上传已暂停。"
            )
            if suspended
            else gettext_noop(
                "侵权投诉成立计入一次侵权记录（%(days)s 天后失效）。"
                "达到 %(limit)s 次将暂停上传。"
            )
        ),
        link="/notifications/",
        params={
            "count": count,
            "days": settings.STRIKE_DAYS,
            "limit": settings.STRIKES_TO_SUSPEND,
        },
    )


def _take_down(case: Case, *, by: User, reason: str) -> int:
    document = case.document
    before = document.status
    already_down = before == DocumentStatus.TAKEN_DOWN
    refunded = 0
    if not already_down:
        document_set_status(document=document, status=DocumentStatus.TAKEN_DOWN)
        wallet_reverse_upload_reward(document=document, taken_down=True)
        refunded = _refund_buyers(document, by=by, reason=reason)
    for banned in filter(None, (document.sha256, document.text_sha256)):
        # The bytes, and the text in any other file (re-saved, converted, padded).
        BannedContent.objects.get_or_create(sha256=banned, defaults={"case": case})
    case.status = CaseStatus.TAKEN_DOWN
    if case.kind == ReportReason.COPYRIGHT and not already_down:
        _strike(case, document.uploader)
    notify(
        user=document.uploader,
        kind="takedown",
        title=gettext_noop("《%(title)s》已被下架"),
        body=(
            gettext_noop(
                "原因：%(reason)s。如您认为没有侵权，可以提交反通知，文档将依法恢复。"
            )
            if case.kind == ReportReason.COPYRIGHT
            else gettext_noop("原因：%(reason)s。")
        ),
        link=document.get_absolute_url(),
        params={"title": document.title, "reason": reason},
    )
    return refunded


def _decide_comment(
    case: Case, comment: Comment, *, by: User, action: str, reason: str
) -> Decision:
    """A comment's case: `take_down` hides the comment (the document stays as it
    is; its author is told why), `reject` leaves it."""
    before = comment.status
    if action == TAKE_DOWN:
        comment = comment_hide(comment=comment, reason=reason)
        case.status = CaseStatus.HIDDEN
    else:
        case.status = CaseStatus.REJECTED
    case.reason = reason
    case.decided_by = by
    case.decided_at = timezone.now()
    case.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit(
        document=case.document,
        actor=by,
        action="hide_comment" if action == TAKE_DOWN else action,
        before=before,
        note=reason,
        case=case,
        comment=comment,
    )
    _tell_filer(case, action=action, reason=reason)
    return Decision(case=case, refunded=0)


def case_decide(*, case: Case, by: User, action: str, reason: str) -> Decision:
    """Decide one open case: `take_down` (the document leaves the site for everyone,
    its bytes are banned, buyers refunded by the policy, the uploader gets a strike
    for copyright; for a comment's case, the comment is hidden and the document
    stays) or `reject` (nothing changes)."""
    if action not in ACTIONS:
        raise ReportRejected(
            "bad_action",
            "处理方式须为 take_down（下架）或 reject（驳回） / action must be "
            "take_down or reject",
            field="action",
        )
    reason = _reason(reason, required=True)
    with transaction.atomic():
        case = _locked_open(case)
        comment = case.report.comment if case.report is not None else None
        if comment is not None:
            return _decide_comment(case, comment, by=by, action=action, reason=reason)
        Document.objects.select_for_update().filter(pk=case.document_id).first()
        case.document.refresh_from_db()
        before = case.document.status
        refunded = 0
        if action == TAKE_DOWN:
            refunded = _take_down(case, by=by, reason=reason)
        else:
            case.status = CaseStatus.REJECTED
        case.reason = reason
        case.decided_by = by
        case.decided_at = timezone.now()
        case.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        audit(
            document=case.document,
            actor=by,
            action=action,
            before=before,
            note=reason,
            case=case,
        )
        _tell_filer(case, action=action, reason=reason)
    return Decision(case=case, refunded=refunded)


def _tell_filer(case: Case, *, action: str, reason: str) -> None:
    filer = case.complaint.complainant if case.complaint else None
    if case.report is not None:
        filer = case.report.reporter
    if case.comment_id is not None:
        title = (
            gettext_noop("案件 #%(case)s（文档 %(number)s 下的评论）成立，评论已隐藏")
            if action == TAKE_DOWN
            else gettext_noop(
                "案件 #%(case)s（文档 %(number)s 下的评论）未成立，已驳回"
            )
        )
    else:
        title = (
            gettext_noop("案件 #%(case)s（文档 %(number)s）成立，文档已下架")
            if action == TAKE_DOWN
            else gettext_noop("案件 #%(case)s（文档 %(number)s）未成立，已驳回")
        )
    notify(
        user=filer,
        kind="case_decided",
        title=title,
        body=gettext_noop("处理理由：%(reason)s"),
        link="/transparency/",
        params={"case": case.pk, "number": case.document.number, "reason": reason},
    )


def cases_decide(
    *, cases: list[Case], by: User, action: str, reason: str
) -> list[Decision]:
    """A bulk decision: each case on its own, all or nothing."""
    with transaction.atomic():
        return [
            case_decide(case=case, by=by, action=action, reason=reason)
            for case in cases
        ]


def _restore_comment(
    case: Case, comment: Comment, *, by: User | None, note: str
) -> Case:
    """A hidden comment's case undone: the comment shows again, the case says so."""
    before = comment.status
    comment = comment_unhide(comment=comment, note=note)
    case.status = CaseStatus.RESTORED
    case.save(update_fields=["status"])
    audit(
        document=case.document,
        actor=by,
        action="restore_comment",
        before=before,
        note=note,
        case=case,
        comment=comment,
    )
    return case


def case_restore(*, case: Case, by: User | None, note: str) -> Case:
    """Bring a taken-down case's document back: public and searchable again, its
    bytes allowed, the strike voided. Stays down while another upheld case holds it.
    A comment's upheld case shows the comment again."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("document", "report__comment")
            .get(pk=case.pk)
        )
        comment = case.report.comment if case.report is not None else None
        if comment is not None:
            if case.status != CaseStatus.HIDDEN:
                raise ReportRejected(
                    "not_hidden",
                    f"案件 #{case.pk} 的评论未被隐藏 / Case #{case.pk} hid no comment",
                    status=409,
                )
            note = _reason(note, required=False)
            return _restore_comment(case, comment, by=by, note=note)
        if case.status not in DECIDED:
            raise ReportRejected(
                "not_taken_down",
                f"案件 #{case.pk} 的文档未被下架 / Case #{case.pk} took nothing down",
                status=409,
            )
        document = case.document
        before = document.status
        case.status = CaseStatus.RESTORED
        case.save(update_fields=["status"])
        BannedContent.objects.filter(case=case).delete()
        Strike.objects.filter(case=case, voided_at=None).update(
            voided_at=timezone.now()
        )
        holding = Case.objects.filter(document=document, status__in=DECIDED)
        if not holding.exists() and before == DocumentStatus.TAKEN_DOWN:
            document_set_status(document=document, status=DocumentStatus.PUBLISHED)
        audit(
            document=document,
            actor=by,
            action="restore",
            before=before,
            note=note,
            case=case,
        )
        for user in {
            document.uploader,
            case.complaint.complainant if case.complaint else None,
        }:
            notify(
                user=user,
                kind="restore",
                title=gettext_noop("《%(title)s》已恢复上线"),
                body=gettext_noop("%(note)s") if note else "",
                link=document.get_absolute_url(),
                params={"title": document.title, "note": note},
            )
    return case


def document_take_down(*, document: Document, by: User, note: str) -> Document:
    """A moderator takes a document down on their own motion (no complaint): a case
    is opened and decided at once, so the same effects and audit row follow."""
    with transaction.atomic():
        case = Case.objects.create(document=document, kind=ReportReason.OTHER)
        case_decide(case=case, by=by, action=TAKE_DOWN, reason=note or "管理员下架")
    document.refresh_from_db()
    return document


def document_restore(*, document: Document, by: User, note: str) -> Document:
    """Restore every case holding a document down."""
    with transaction.atomic():
        for case in Case.objects.filter(document=document, status__in=DECIDED):
            case_restore(case=case, by=by, note=note or "管理员恢复")
    document.refresh_from_db()
    return document
