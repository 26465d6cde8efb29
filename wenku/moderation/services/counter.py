"""Counter-notices (条例 §16): the uploader answers an upheld copyright complaint;
the document comes back after the configured wait unless the complainant reports
legal action in that time (§17; 电商法 §43 gives 15 days)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from wenku.accounts.models import User
from wenku.documents.models import Document
from wenku.moderation.models import Case, CaseStatus, CounterNotice, ReportReason
from wenku.moderation.services.decisions import audit, case_restore
from wenku.moderation.services.errors import ReportRejected
from wenku.moderation.services.filing import _file_checked, _text
from wenku.notifications.services import notify

FIELDS: dict[str, tuple[str, str, int]] = {
    "name": ("姓名或名称", "name", 100),
    "contact": ("联系方式", "contact", 120),
    "address": ("地址", "address", 300),
    "statement": ("不侵权的说明与初步证明", "statement", 4000),
    "signature": ("签名", "signature", 100),
}


def counter_notice_case(document: Document) -> Case | None:
    """The upheld copyright case an uploader may answer for this document."""
    return (
        Case.objects.filter(
            document=document, kind=ReportReason.COPYRIGHT, status=CaseStatus.TAKEN_DOWN
        )
        .order_by("decided_at")
        .first()
    )


def counter_notice_file(
    *,
    document: Document,
    uploader: User,
    name: str,
    contact: str,
    address: str,
    statement: str,
    signature: str,
    proof_file: UploadedFile | None = None,
) -> CounterNotice:
    """The uploader's counter-notice; with a wait of 0 the document is back at once."""
    if document.uploader_id != uploader.pk:
        raise ReportRejected(
            "not_uploader",
            "只有上传者可以提交反通知 / Only the uploader can file a counter-notice",
            status=404,
        )
    values = {"name": name, "contact": contact, "address": address}
    values |= {"statement": statement, "signature": signature}
    clean = {
        key: _text(values[key], field=key, label=(chinese, english), limit=limit)
        for key, (chinese, english, limit) in FIELDS.items()
    }
    missing = [key for key, value in clean.items() if not value]
    if missing:
        raise ReportRejected(
            "incomplete",
            "反通知不完整，缺少："
            + "、".join(FIELDS[key][0] for key in missing)
            + " / The counter-notice is incomplete: missing "
            + ", ".join(FIELDS[key][1] for key in missing),
            field=missing[0],
            missing=tuple(missing),
        )
    proof_file = _file_checked(proof_file, field="proof_file")
    wait = timedelta(days=settings.COUNTER_NOTICE_WAIT_DAYS)
    with transaction.atomic():
        case = counter_notice_case(document)
        if case is not None:
            case = Case.objects.select_for_update().get(pk=case.pk)
        if case is None or case.status != CaseStatus.TAKEN_DOWN:
            raise ReportRejected(
                "nothing_to_answer",
                "这份文档没有可以反通知的侵权下架 / This document has no copyright "
                "takedown to answer",
                status=409,
            )
        notice = CounterNotice(
            case=case, uploader=uploader, restore_after=timezone.now() + wait, **clean
        )
        if proof_file is not None:
            notice.proof_file.save(proof_file.name or "proof", proof_file, save=False)
        notice.save()
        case.status = CaseStatus.COUNTER_NOTICED
        case.save(update_fields=["status"])
        audit(
            document=document,
            actor=uploader,
            action="counter_notice",
            before=document.status,
            note=clean["statement"],
            case=case,
        )
        complainant = case.complaint.complainant if case.complaint else None
        notify(
            user=complainant,
            kind="counter_notice",
            title=gettext_noop("文档 %(number)s 的上传者提交了反通知"),
            body=(
                gettext_noop(
                    "上传者声明不侵权。文档将于 %(when)s 恢复，"
                    "除非您在此之前告知已向法院起诉或向主管部门投诉。"
                )
                if wait
                else gettext_noop(
                    "依《信息网络传播权保护条例》第十七条，文档已立即恢复；"
                    "如有异议请向法院起诉。"
                )
            ),
            link="/transparency/",
            params={
                "number": document.number,
                "when": f"{timezone.localtime(notice.restore_after):%Y-%m-%d %H:%M}",
            },
        )
        if not wait:
            case_restore(case=case, by=None, note="上传者提交反通知，依法恢复")
    return notice


def case_legal_action(*, case: Case, by: User) -> Case:
    """The complainant (or a moderator for them) reports a lawsuit within the wait:
    the document stays down."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update().select_related("document").get(pk=case.pk)
        )
        complainant_id = case.complaint.complainant_id if case.complaint else None
        if not (by.is_staff or (complainant_id and complainant_id == by.pk)):
            raise ReportRejected(
                "not_complainant",
                "只有投诉人或审核员可以登记起诉 / Only the complainant or a moderator "
                "can record legal action",
                status=404,
            )
        if case.status != CaseStatus.COUNTER_NOTICED:
            raise ReportRejected(
                "no_counter_notice",
                "该案件没有等待恢复的反通知 / This case has no counter-notice waiting",
                status=409,
            )
        case.status = CaseStatus.LEGAL_ACTION
        case.save(update_fields=["status"])
        audit(
            document=case.document,
            actor=by,
            action="legal_action",
            before=case.document.status,
            note="投诉人已起诉，文档维持下架",
            case=case,
        )
        notify(
            user=case.document.uploader,
            kind="legal_action",
            title=gettext_noop("《%(title)s》维持下架"),
            body=gettext_noop("投诉人已告知向法院起诉，文档在判决前保持下架。"),
            link=case.document.get_absolute_url(),
            params={"title": case.document.title},
        )
    return case


def counter_notices_restore_due(*, now=None) -> int:
    """Restore the documents whose counter-notice wait has passed (the periodic job)."""
    now = now or timezone.now()
    due = Case.objects.filter(
        status=CaseStatus.COUNTER_NOTICED, counter_notice__restore_after__lte=now
    )
    restored = 0
    for case in due:
        try:
            case_restore(
                case=case, by=None, note="反通知等待期满，投诉人未起诉，依法恢复"
            )
        except ReportRejected:
            continue
        restored += 1
    return restored
