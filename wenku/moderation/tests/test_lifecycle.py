"""The life of a complaint: notice, takedown, refund, strike, counter-notice, restore,
and every refusal on the way; each decision leaves an audit row."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wenku.documents.models import DocumentStatus
from wenku.documents.services import UploadRejected, document_upload
from wenku.moderation.models import (
    BannedContent,
    Case,
    CaseStatus,
    Complaint,
    ModerationAction,
    Strike,
)
from wenku.moderation.services import (
    ReportRejected,
    case_decide,
    case_legal_action,
    complaint_file,
    counter_notice_file,
    counter_notices_restore_due,
)
from wenku.notifications.models import Notification
from wenku.wallet.models import (
    Purchase,
    PurchaseStatus,
    WalletRules,
    WithdrawalStatus,
)
from wenku.wallet.selectors import rules_get, wallet_balance
from wenku.wallet.services import (
    WalletError,
    purchase_create,
    withdrawal_approve,
    withdrawal_request,
)

pytestmark = pytest.mark.django_db

NOTICE = {
    "name": "某某出版社",
    "contact": "legal@example.cn",
    "address": "北京市海淀区某路 1 号",
    "work": "《教育工作会议讲话汇编》",
    "proof": "本社 2020 年出版，ISBN 978-7-000-00000-0，版权页见附件。",
    "good_faith": True,
    "accurate": True,
    "signature": "张三",
}
COUNTER = {
    "name": "李四",
    "contact": "li@example.cn",
    "address": "上海市某路 2 号",
    "statement": "该讲话稿为本人原创，附写作底稿。",
    "signature": "李四",
}


def _complain(*documents, complainant=None, **changes):
    fields = NOTICE | changes
    return complaint_file(
        complainant=complainant, documents=[d.number for d in documents], **fields
    )


def _rules(**fields) -> None:
    WalletRules.objects.filter(pk=rules_get().pk).update(**fields)


def test_incomplete_notice_lists_everything_missing(make_document):
    document = make_document()
    with pytest.raises(ReportRejected) as refused:
        complaint_file(
            complainant=None,
            name="",
            contact="x@y.cn",
            address="",
            work="作品",
            documents=[document.number],
            proof="",
            good_faith=False,
            accurate=True,
            signature="",
        )
    assert refused.value.missing == (
        "name",
        "address",
        "signature",
        "proof",
        "good_faith",
    )
    assert refused.value.message == (
        "投诉不完整，缺少：权利人姓名或名称、地址、签名、权属证明（文字或文件）、善意声明"
        " / The notice is incomplete: missing name, address, signature, proof of "
        "ownership (text or a file), the good-faith statement"
    )
    assert Complaint.objects.count() == Case.objects.count() == 0


def test_agent_needs_an_authorisation_and_unknown_documents_are_named(make_document):
    document = make_document()
    with pytest.raises(ReportRejected) as refused:
        _complain(document, agent_for="某作者")
    assert refused.value.missing == ("authorisation",)
    with pytest.raises(ReportRejected, match="文档 99999999 不存在或已下架"):
        complaint_file(complainant=None, documents=["99999999"], **NOTICE)
    assert Complaint.objects.count() == 0


def test_one_case_per_document_and_a_duplicate_notice_is_refused(
    make_document, make_user
):
    first, second = make_document(), make_document()
    complaint = _complain(first, second, first)
    cases = list(complaint.cases.order_by("document__number"))
    assert len(cases) == 2
    assert {c.status for c in cases} == {CaseStatus.OPEN}
    # The uploaders hear of it; the documents stay online until decided.
    assert Notification.objects.filter(kind="complaint_received").count() == 2
    with pytest.raises(ReportRejected) as refused:
        _complain(first, contact="LEGAL@example.cn")
    assert refused.value.code == "duplicate"
    assert refused.value.status == 409
    assert Complaint.objects.count() == 1


def test_takedown_refunds_buyers_from_held_income_and_the_platform_covers_the_rest(
    make_user, fund_paid, quick_document, ledger_ok, client
):
    _rules(income_hold_days=7)
    seller, buyer, moderator = make_user(), make_user(), make_user(is_staff=True)
    fund_paid(buyer, 2)  # 20 paid points
    document = quick_document(uploader=seller, price=20)
    purchase_create(buyer=buyer, document=document, idempotency_key="b1")
    assert wallet_balance(user=buyer) == 0
    case = _complain(document).cases.get()
    decision = case_decide(
        case=case, by=moderator, action="take_down", reason="侵权成立：未经授权传播"
    )
    assert decision.refunded == 1
    document.refresh_from_db()
    assert document.status == DocumentStatus.TAKEN_DOWN
    assert wallet_balance(user=buyer) == 20
    assert Purchase.objects.get().status == PurchaseStatus.REFUNDED
    refund_note = Notification.objects.get(user=buyer, kind="refund")
    assert refund_note.title == f"《{document.title}》已下架，20 积分已退回"
    assert BannedContent.objects.filter(sha256=document.sha256).exists()
    assert Strike.objects.filter(user=seller).count() == 1
    action = ModerationAction.objects.get(case=case)
    assert (action.action, action.from_status, action.to_status, action.actor) == (
        "take_down",
        "published",
        "taken_down",
        moderator,
    )
    # The public page is the branded removed page, the uploader sees the reason.
    page = client.get(document.get_absolute_url())
    assert page.status_code == 410
    assert "该文档已下架" in page.content.decode()
    client.force_login(seller)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "侵权成立：未经授权传播" in page
    assert f"/documents/{document.number}/counter-notice/" in page
    assert client.get(f"/documents/{document.number}/edit/").status_code == 404
    ledger_ok()


def test_takedown_with_a_pending_withdrawal_refuses_to_approve_it(
    make_user, fund_paid, quick_document, ledger_ok
):
    _rules(withdrawal_min_points=100, income_hold_days=0)
    seller, buyer, admin = make_user(), make_user(), make_user(is_staff=True)
    fund_paid(buyer, 10)
    document = quick_document(uploader=seller, price=100)
    purchase_create(buyer=buyer, document=document, idempotency_key="k")
    withdrawal = withdrawal_request(user=seller, points=100, payee="银行卡")
    case = _complain(document).cases.get()
    case_decide(case=case, by=admin, action="take_down", reason="侵权成立")
    assert wallet_balance(user=buyer) == 100  # the platform covered the seller
    with pytest.raises(WalletError, match="平台为该会员垫付了 100 积分"):
        withdrawal_approve(withdrawal=withdrawal, by=admin)
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.PENDING
    ledger_ok()


def test_reject_changes_nothing_and_a_decision_is_final(make_document, make_user):
    moderator = make_user(is_staff=True)
    document = make_document()
    case = _complain(document).cases.get()
    with pytest.raises(ReportRejected, match="请填写处理理由"):
        case_decide(case=case, by=moderator, action="reject", reason=" ")
    case_decide(case=case, by=moderator, action="reject", reason="证据不足")
    document.refresh_from_db()
    assert document.status == DocumentStatus.PUBLISHED
    with pytest.raises(ReportRejected) as refused:
        case_decide(case=case, by=moderator, action="take_down", reason="再议")
    assert refused.value.status == 409
    assert ModerationAction.objects.filter(case=case).count() == 1
    assert not BannedContent.objects.exists()


def test_banned_bytes_cannot_come_back(make_user, make_document, settings):
    uploader, moderator, other = make_user(), make_user(is_staff=True), make_user()
    data = b"%PDF-1.4 banned bytes"
    document = make_document(uploader=uploader, original=data, file_type="pdf")
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.save(update_fields=["sha256"])
    case_decide(
        case=_complain(document).cases.get(),
        by=moderator,
        action="take_down",
        reason="侵权成立",
    )
    for member in (uploader, other):
        with pytest.raises(UploadRejected) as refused:
            document_upload(
                uploader=member,
                file_name="again.pdf",
                data=data,
                copyright_declared=True,
            )
        assert refused.value.code == "banned"
        assert "不能再次上传" in refused.value.message


def test_three_strikes_suspend_uploads_and_expire(make_user, make_document, settings):
    settings.STRIKES_TO_SUSPEND = 3
    uploader, moderator = make_user(), make_user(is_staff=True)
    for n in range(3):
        document = make_document(uploader=uploader, original=f"doc {n}".encode())
        case_decide(
            case=_complain(document, contact=f"c{n}@x.cn").cases.get(),
            by=moderator,
            action="take_down",
            reason="侵权成立",
        )
    with pytest.raises(UploadRejected) as refused:
        document_upload(
            uploader=uploader, file_name="a.txt", data=b"new", copyright_declared=True
        )
    assert refused.value.code == "suspended"
    assert "3 次侵权投诉成立" in refused.value.message
    assert Notification.objects.filter(user=uploader, kind="strike").count() == 3
    # One strike expiring brings uploads back.
    Strike.objects.filter(pk=Strike.objects.first().pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    document_upload(
        uploader=uploader, file_name="a.txt", data=b"new text", copyright_declared=True
    )


def test_counter_notice_restores_at_once_and_voids_the_strike(
    make_user, make_document, client
):
    uploader, moderator = make_user(), make_user(is_staff=True)
    complainant = make_user()
    document = make_document(uploader=uploader)
    case = _complain(document, complainant=complainant).cases.get()
    case_decide(case=case, by=moderator, action="take_down", reason="侵权成立")
    with pytest.raises(ReportRejected) as refused:
        counter_notice_file(
            document=document, uploader=uploader, **(COUNTER | {"statement": ""})
        )
    assert refused.value.missing == ("statement",)
    counter_notice_file(document=document, uploader=uploader, **COUNTER)
    case.refresh_from_db()
    document.refresh_from_db()
    assert case.status == CaseStatus.RESTORED
    assert document.status == DocumentStatus.PUBLISHED
    assert Strike.objects.get().voided_at is not None
    assert not BannedContent.objects.exists()
    assert client.get(document.get_absolute_url()).status_code == 200
    assert Notification.objects.filter(user=complainant, kind="counter_notice").exists()
    assert [a.action for a in ModerationAction.objects.order_by("pk")] == [
        "take_down",
        "counter_notice",
        "restore",
    ]
    # The same complainant cannot notify the restored document again.
    with pytest.raises(ReportRejected) as refused:
        _complain(document, complainant=complainant)
    assert refused.value.code == "renotify"


def test_counter_notice_wait_and_legal_action(make_user, make_document, settings):
    settings.COUNTER_NOTICE_WAIT_DAYS = 15
    uploader, moderator, complainant = (
        make_user(),
        make_user(is_staff=True),
        make_user(),
    )
    sued, waited = make_document(uploader=uploader), make_document(uploader=uploader)
    cases = {}
    for document in (sued, waited):
        cases[document.pk] = _complain(document, complainant=complainant).cases.get()
        case_decide(
            case=cases[document.pk], by=moderator, action="take_down", reason="r"
        )
        counter_notice_file(document=document, uploader=uploader, **COUNTER)
    assert counter_notices_restore_due() == 0
    case_legal_action(case=cases[sued.pk], by=complainant)
    with pytest.raises(ReportRejected):
        case_legal_action(case=cases[waited.pk], by=uploader)
    assert counter_notices_restore_due(now=timezone.now() + timedelta(days=16)) == 1
    sued.refresh_from_db()
    waited.refresh_from_db()
    assert (sued.status, waited.status) == ("taken_down", "published")


def test_no_admin_form_changes_a_state(client, make_user, make_document):
    admin = make_user(is_staff=True, is_superuser=True)
    document = make_document()
    case = _complain(document).cases.get()
    client.force_login(admin)
    for url in (
        f"/admin/moderation/case/{case.pk}/change/",
        f"/admin/moderation/complaint/{case.complaint_id}/change/",
    ):
        client.post(url, {"status": "taken_down"})
    page = client.get(f"/admin/documents/document/{document.pk}/change/").content
    assert b'name="status"' not in page
    case.refresh_from_db()
    document.refresh_from_db()
    assert (case.status, document.status) == ("open", "published")
    assert client.get("/admin/moderation/case/add/").status_code == 403


def test_proof_files_are_checked(make_document):
    document = make_document()
    bad = SimpleUploadedFile(
        "proof.exe", b"MZ", content_type="application/octet-stream"
    )
    with pytest.raises(ReportRejected, match="证明文件须为"):
        _complain(document, proof="", proof_file=bad)
    good = SimpleUploadedFile("proof.pdf", b"%PDF-1.4", content_type="application/pdf")
    complaint = _complain(document, proof="", proof_file=good)
    assert complaint.proof_file.name.endswith(".pdf")
