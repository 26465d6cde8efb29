"""Review before publishing: the site setting, the conversion's branch, decisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from wenku.conversion.tests import samples
from wenku.core.models import ReviewMode
from wenku.core.selectors import site_settings_get
from wenku.documents.access import document_access
from wenku.documents.models import Document, DocumentStatus
from wenku.documents.services import document_convert, document_upload
from wenku.moderation.models import ModerationAction
from wenku.moderation.review import (
    ReviewRefused,
    review_approve,
    review_needed,
    review_reject,
)
from wenku.notifications.models import Notification
from wenku.search import public as search
from wenku.wallet.models import Transfer, TransferKind
from wenku.wallet.selectors import rules_get, wallet_balance

pytestmark = pytest.mark.django_db

REWARD = 5  # WalletRules.upload_reward's default


def _mode(mode: str, threshold: int = 3) -> None:
    rules = site_settings_get()
    rules.review_mode = mode
    rules.review_trust_threshold = threshold
    rules.save()


def _rewards(document: Document) -> int:
    return Transfer.objects.filter(
        kind=TransferKind.UPLOAD_REWARD, idempotency_key=f"upload_reward:{document.pk}"
    ).count()


@pytest.fixture
def converted(tmp_path: Path):
    """Upload a one-page text PDF (pypdfium2, no LibreOffice) and convert it."""

    def _converted(uploader, name: str = "review.pdf") -> tuple[Document, str]:
        path = samples.text_pdf(tmp_path / name, pages=1)
        document = document_upload(
            uploader=uploader,
            file_name=path.name,
            path=path,
            copyright_declared=True,
        )
        outcome = document_convert(document_id=document.pk)
        document.refresh_from_db()
        return document, outcome

    return _converted


@pytest.fixture
def staff(make_user):
    return make_user("moderator", is_staff=True)


@pytest.fixture
def in_review(make_document):
    return make_document(title="待审文档", status=DocumentStatus.IN_REVIEW)


def test_settings_default_to_no_review():
    rules = site_settings_get()
    assert (rules.review_mode, rules.review_trust_threshold) == (ReviewMode.OFF, 3)


def test_mode_off_publishes_and_rewards(converted, make_user):
    member = make_user()
    document, outcome = converted(member)
    assert (outcome, document.status) == ("published", DocumentStatus.PUBLISHED)
    assert document.published_at is not None
    assert wallet_balance(user=member) == REWARD


def test_mode_all_holds_a_member_upload_without_index_or_reward(converted, make_user):
    _mode(ReviewMode.ALL)
    member = make_user()
    document, outcome = converted(member)
    assert (outcome, document.status) == ("in_review", DocumentStatus.IN_REVIEW)
    assert document.published_at is None
    assert (document.page_count, document.rendered_pages) == (1, 1)
    assert document.text.startswith("Text PDF page 1")
    assert wallet_balance(user=member) == 0 and _rewards(document) == 0
    assert search.search("Text PDF", user=AnonymousUser()).results == []
    assert document_access(user=AnonymousUser(), document=document).view is False
    assert document_access(user=member, document=document).view is True


def test_mode_all_never_holds_a_staff_upload(converted, staff):
    _mode(ReviewMode.ALL)
    document, outcome = converted(staff)
    assert (outcome, document.status) == ("published", DocumentStatus.PUBLISHED)


def test_new_members_below_the_threshold_are_reviewed(make_user, make_document):
    _mode(ReviewMode.NEW_MEMBERS, threshold=2)
    member = make_user()
    make_document(uploader=member)
    make_document(uploader=member, status=DocumentStatus.IN_REVIEW)
    make_document(uploader=member, status=DocumentStatus.UNLISTED)
    upload = make_document(uploader=member, status=DocumentStatus.PROCESSING)
    assert review_needed(upload) is True  # one published document, threshold 2
    make_document(uploader=member)
    assert review_needed(upload) is False  # two
    assert review_needed(make_document(status=DocumentStatus.PROCESSING)) is True


def test_new_members_with_threshold_zero_are_never_reviewed(make_document):
    _mode(ReviewMode.NEW_MEMBERS, threshold=0)
    assert review_needed(make_document(status=DocumentStatus.PROCESSING)) is False


def test_new_members_mode_through_the_conversion(converted, make_user, make_document):
    _mode(ReviewMode.NEW_MEMBERS, threshold=1)
    newcomer, trusted = make_user(), make_user()
    make_document(uploader=trusted)
    held, outcome = converted(newcomer, "a.pdf")
    assert (outcome, held.status) == ("in_review", DocumentStatus.IN_REVIEW)
    Document.objects.filter(pk=held.pk).update(status=DocumentStatus.DELETED)
    published, outcome = converted(trusted, "b.pdf")
    assert (outcome, published.status) == ("published", DocumentStatus.PUBLISHED)


def test_approve_publishes_audits_notifies_and_rewards(in_review, staff):
    uploader = in_review.uploader
    document = review_approve(document=in_review, by=staff, reason="内容完整")
    document.refresh_from_db()
    assert document.status == DocumentStatus.PUBLISHED
    assert document.published_at is not None
    action = ModerationAction.objects.get(document=document)
    assert (
        action.action,
        action.from_status,
        action.to_status,
        action.note,
        action.actor,
    ) == ("review_approve", "in_review", "published", "内容完整", staff)
    notification = Notification.objects.get(user=uploader)
    assert (notification.kind, notification.title, notification.link) == (
        "review_approved",
        "《待审文档》已通过审核并发布",
        f"/documents/{document.number}/",
    )
    assert "审核意见：内容完整" in notification.body
    assert wallet_balance(user=uploader) == REWARD
    assert [
        hit.document for hit in search.search("第1页", user=AnonymousUser()).results
    ] == [document]


def test_approve_pays_no_reward_the_rules_withhold(in_review, staff):
    rules = rules_get()
    rules.upload_reward = 0
    rules.save()
    review_approve(document=in_review, by=staff)
    assert wallet_balance(user=in_review.uploader) == 0


def test_reject_needs_a_reason(in_review, staff):
    for reason in ("", "   "):
        with pytest.raises(ReviewRefused) as refused:
            review_reject(document=in_review, by=staff, reason=reason)
        assert refused.value.code == "reason_required"
        assert refused.value.message == (
            "驳回须填写理由，上传者会看到它 / A rejection needs a reason; the "
            "uploader will see it"
        )
    in_review.refresh_from_db()
    assert in_review.status == DocumentStatus.IN_REVIEW
    assert not ModerationAction.objects.exists() and not Notification.objects.exists()


def test_reject_refuses_a_reason_too_long(in_review, staff):
    with pytest.raises(ReviewRefused) as refused:
        review_reject(document=in_review, by=staff, reason="长" * 501)
    assert refused.value.code == "bad_reason"


def test_reject_sets_status_and_reason_audits_and_notifies(in_review, staff):
    document = review_reject(document=in_review, by=staff, reason="疑似侵权")
    document.refresh_from_db()
    assert (document.status, document.failure_reason) == (
        DocumentStatus.REJECTED,
        "疑似侵权",
    )
    assert document.published_at is None
    action = ModerationAction.objects.get(document=document)
    assert (action.action, action.from_status, action.to_status, action.note) == (
        "review_reject",
        "in_review",
        "rejected",
        "疑似侵权",
    )
    notification = Notification.objects.get(user=document.uploader)
    assert (notification.kind, notification.title) == (
        "review_rejected",
        "《待审文档》未通过审核",
    )
    assert "理由：疑似侵权" in notification.body
    assert wallet_balance(user=document.uploader) == 0
    assert document_access(user=AnonymousUser(), document=document).view is False
    assert document_access(user=document.uploader, document=document).view is True


def test_non_staff_cannot_decide(in_review, make_user):
    for who in (in_review.uploader, make_user(), AnonymousUser()):
        with pytest.raises(ReviewRefused) as refused:
            review_approve(document=in_review, by=who)
        assert (refused.value.code, refused.value.status) == ("not_staff", 403)
    in_review.refresh_from_db()
    assert in_review.status == DocumentStatus.IN_REVIEW


@pytest.mark.parametrize("first", ["approve", "reject"])
def test_a_second_decision_is_refused(in_review, staff, first):
    decide = {"approve": review_approve, "reject": review_reject}
    decide[first](document=in_review, by=staff, reason="广告或垃圾信息")
    for again in (review_approve, review_reject):
        with pytest.raises(ReviewRefused) as refused:
            again(document=in_review, by=staff, reason="再次")
        assert (refused.value.code, refused.value.status) == ("not_in_review", 409)
        assert refused.value.message.startswith("该文档不在审核中（当前状态：")
    assert ModerationAction.objects.count() == 1
    assert Notification.objects.count() == 1
    assert _rewards(in_review) == (1 if first == "approve" else 0)


def test_only_documents_in_review_can_be_decided(make_document, staff):
    published = make_document()
    with pytest.raises(ReviewRefused) as refused:
        review_approve(document=published, by=staff)
    assert refused.value.code == "not_in_review"
    assert "已发布" in refused.value.message


# --- the pages ---------------------------------------------------------------


def test_queue_is_staff_only(client, make_user, in_review):
    assert client.get("/moderation/review/").status_code == 403
    client.force_login(in_review.uploader)
    assert client.get("/moderation/review/").status_code == 403
    assert (
        client.post(f"/moderation/review/{in_review.number}/approve/").status_code
        == 403
    )
    client.force_login(make_user())
    assert (
        client.post(
            f"/moderation/review/{in_review.number}/reject/", {"reason": "x"}
        ).status_code
        == 403
    )
    in_review.refresh_from_db()
    assert in_review.status == DocumentStatus.IN_REVIEW


def test_queue_lists_documents_in_review_oldest_first(
    client, staff, make_document, make_user
):
    uploader = make_user(display_name="张三")
    older = make_document(
        title="先传的", uploader=uploader, status=DocumentStatus.IN_REVIEW
    )
    newer = make_document(title="后传的", status=DocumentStatus.IN_REVIEW)
    make_document(title="已发布的")
    client.force_login(staff)
    page = client.get("/moderation/review/").content.decode()
    assert page.index("先传的") < page.index("后传的")
    assert "已发布的" not in page
    assert "2 篇待审核" in page and "张三" in page
    assert f'href="/documents/{older.number}/"' in page
    assert f'action="/moderation/review/{newer.number}/reject/"' in page
    for template in ("内容质量过低", "疑似侵权", "广告或垃圾信息", "分类或标题不符"):
        assert f'<option value="{template}">{template}</option>' in page
    assert "<script>" not in page and "onclick" not in page


def test_approve_through_the_page(client, staff, in_review):
    client.force_login(staff)
    response = client.post(f"/moderation/review/{in_review.number}/approve/")
    assert (response.status_code, response["Location"]) == (302, "/moderation/review/")
    in_review.refresh_from_db()
    assert in_review.status == DocumentStatus.PUBLISHED
    assert "已通过审核并发布" in client.get("/moderation/review/").content.decode()


def test_reject_through_the_page_with_a_template_and_words(client, staff, in_review):
    client.force_login(staff)
    response = client.post(
        f"/moderation/review/{in_review.number}/reject/",
        {"template": "分类或标题不符", "reason": "应归入教育"},
    )
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert (in_review.status, in_review.failure_reason) == (
        DocumentStatus.REJECTED,
        "分类或标题不符：应归入教育",
    )


def test_reject_through_the_page_without_reason_is_refused(client, staff, in_review):
    client.force_login(staff)
    response = client.post(f"/moderation/review/{in_review.number}/reject/", {})
    assert response.status_code == 400
    assert "驳回须填写理由" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == DocumentStatus.IN_REVIEW


def test_a_second_decision_through_the_page_is_refused(client, staff, in_review):
    client.force_login(staff)
    client.post(
        f"/moderation/review/{in_review.number}/reject/", {"reason": "疑似侵权"}
    )
    response = client.post(f"/moderation/review/{in_review.number}/approve/")
    assert response.status_code == 409
    in_review.refresh_from_db()
    assert in_review.status == DocumentStatus.REJECTED


def test_uploader_sees_in_review_then_the_reason(client, in_review, staff):
    client.force_login(in_review.uploader)
    detail = client.get(f"/documents/{in_review.number}/").content.decode()
    assert "审核中" in detail and "等待管理员审核，通过后发布" in detail
    assert "审核中" in client.get("/me/").content.decode()
    review_reject(document=in_review, by=staff, reason="内容质量过低")
    detail = client.get(f"/documents/{in_review.number}/").content.decode()
    assert "未通过审核" in detail and "理由：内容质量过低" in detail
    mine = client.get("/me/").content.decode()
    assert "未通过审核" in mine and "内容质量过低" in mine
    assert "data-unread-count>1<" in mine


def test_review_pages_in_english(client, staff, in_review):
    client.force_login(staff)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/moderation/review/").content.decode()
    assert "Review before publishing" in page and "Approve" in page
    assert "Low-quality content" in page


def test_others_do_not_see_a_document_in_review(in_review):
    assert Client().get(f"/documents/{in_review.number}/").status_code == 404
