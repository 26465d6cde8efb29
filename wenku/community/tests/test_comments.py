"""Comments with replies: who may post, the text's limits, replies to replies,
deleting one's own, reports through the moderation queue, hiding with an audit row,
and the cached document page following every change."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from wenku.community.models import Comment, CommentStatus
from wenku.community.services import (
    CommunityRejected,
    comment_create,
    comment_delete,
)
from wenku.core.selectors import site_settings_get
from wenku.documents.access import CommentRefusal, document_access
from wenku.documents.models import DocumentStatus
from wenku.moderation.models import Case, CaseStatus, ModerationAction, Report
from wenku.moderation.selectors import queue, takedown_case
from wenku.moderation.services import ReportRejected, case_decide, report_create
from wenku.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_settings(db):
    site_settings_get()  # created on first read, which would invalidate pages


def _refusal(**kwargs) -> str:
    with pytest.raises(CommunityRejected) as refused:
        comment_create(**kwargs)
    return refused.value.message


def _report(comment: Comment, reporter, reason: str = "abuse") -> Report:
    return report_create(
        document=comment.document,
        comment=comment,
        reporter=reporter,
        reason=reason,
        description="骂人",
        contact="",
    )


# --- who may comment, and what ------------------------------------------------


def test_a_member_comments_with_the_text_stripped(make_user, make_document):
    document = make_document()
    member = make_user()
    comment = comment_create(author=member, document=document, body="  很有用\r\n谢谢 ")
    assert (comment.body, comment.status, comment.parent, comment.reply_to) == (
        "很有用\n谢谢",
        CommentStatus.VISIBLE,
        None,
        None,
    )
    assert document_access(user=member, document=document).comment is True


def test_empty_and_too_long_comments_are_refused_with_the_limit(
    make_user, make_document
):
    document, member = make_document(), make_user()
    for body in ("", "   \n\t ", None):
        assert (
            _refusal(author=member, document=document, body=body)
            == "请填写评论内容 / Write something first"
        )
    assert _refusal(author=member, document=document, body="长" * 501) == (
        "评论不能超过 500 个字，现在有 501 个字 / A comment can be at most 500 "
        "characters; this one has 501"
    )
    assert _refusal(author=member, document=document, body="响铃\x07") == (
        "评论含有无法显示的字符 / The comment holds characters that can't be shown"
    )
    assert comment_create(author=member, document=document, body="长" * 500).body == (
        "长" * 500
    )
    assert Comment.objects.count() == 1


def test_visitors_unpublished_documents_and_suspended_members_are_refused(
    make_user, make_document
):
    published = make_document()
    in_review = make_document(status=DocumentStatus.IN_REVIEW)
    suspended = make_user(is_active=False)
    assert document_access(
        user=AnonymousUser(), document=published
    ).comment_refusal == (CommentRefusal.SIGN_IN)
    assert (
        _refusal(author=AnonymousUser(), document=published, body="路过")
        == "请先登录 / Please log in first"
    )
    assert _refusal(author=in_review.uploader, document=in_review, body="自己先评") == (
        "文档尚未发布，不能评论 / Only a published document takes comments"
    )
    assert _refusal(author=suspended, document=published, body="还想说") == (
        "您的账号已被停用，不能发表评论 / Your account is suspended: you can't comment"
    )
    assert not Comment.objects.exists()


def test_replies_join_the_top_comment_and_name_whom_they_answer(
    make_user, make_document
):
    document = make_document(title="讲话稿")
    first, second, third = (
        make_user(display_name="张三丰"),
        make_user(display_name="李四"),
        make_user(display_name="王五"),
    )
    top = comment_create(author=first, document=document, body="写得好")
    reply = comment_create(
        author=second, document=document, body="同意", parent_id=top.pk
    )
    deeper = comment_create(
        author=third, document=document, body="不同意", parent_id=reply.pk
    )
    own = comment_create(author=first, document=document, body="补充", parent_id=top.pk)
    assert (reply.parent_id, reply.reply_to_id) == (top.pk, None)
    assert (deeper.parent_id, deeper.reply_to_id) == (top.pk, second.pk)
    assert own.parent_id == top.pk
    # Each answered author hears of it; nobody of their own reply.
    notices = Notification.objects.filter(kind="comment_reply").order_by("pk")
    assert [(n.user_id, n.title, n.body, n.link) for n in notices] == [
        (
            first.pk,
            "李*** 回复了您在《讲话稿》下的评论",
            "同意",
            f"{document.get_absolute_url()}#comment-{reply.pk}",
        ),
        (
            second.pk,
            "王*** 回复了您在《讲话稿》下的评论",
            "不同意",
            f"{document.get_absolute_url()}#comment-{deeper.pk}",
        ),
    ]


def test_a_reply_to_a_gone_or_foreign_comment_is_refused(make_user, make_document):
    document, elsewhere = make_document(), make_document()
    member = make_user()
    gone = comment_create(author=member, document=document, body="马上删")
    comment_delete(comment=gone, by=member)
    foreign = comment_create(author=member, document=elsewhere, body="别处的")
    for parent_id in (gone.pk, foreign.pk, 0, 10**12):
        assert (
            _refusal(author=member, document=document, body="回复", parent_id=parent_id)
            == "要回复的评论不存在或已删除 / The comment you are replying to is gone"
        )
    assert Comment.objects.filter(document=document).count() == 1


def test_a_double_submit_answers_with_the_first_comment(make_user, make_document):
    document, member = make_document(), make_user()
    first = comment_create(author=member, document=document, body="同一句话")
    again = comment_create(author=member, document=document, body="同一句话 ")
    assert again.pk == first.pk and Comment.objects.count() == 1
    # The same words as a reply are another comment.
    reply = comment_create(
        author=member, document=document, body="同一句话", parent_id=first.pk
    )
    assert reply.pk != first.pk and Comment.objects.count() == 2


def test_only_the_author_deletes_a_comment(make_user, make_document):
    document, author, other = make_document(), make_user(), make_user()
    comment = comment_create(author=author, document=document, body="我的评论")
    with pytest.raises(CommunityRejected) as refused:
        comment_delete(comment=comment, by=other)
    assert refused.value.message == (
        "只能删除自己的评论 / You can only delete your own comments"
    )
    assert comment_delete(comment=comment, by=author).status == CommentStatus.DELETED
    assert comment_delete(comment=comment, by=author).status == CommentStatus.DELETED


# --- reports, the moderation queue, hiding ---------------------------------


def test_a_reported_comment_is_hidden_by_a_moderator_with_an_audit_row(
    make_user, make_document
):
    document = make_document(title="讲话稿")
    author, reporter = make_user(), make_user()
    moderator = make_user(is_staff=True)
    comment = comment_create(author=author, document=document, body="难听的话")
    report = _report(comment, reporter)
    assert _report(comment, reporter).pk == report.pk  # one open report each
    case = report.case
    assert (case.kind, case.status, case.document_id, case.comment_id) == (
        "abuse",
        CaseStatus.OPEN,
        document.pk,
        comment.pk,
    )
    assert list(queue()) == [case]
    decision = case_decide(
        case=case, by=moderator, action="take_down", reason="人身攻击"
    )
    comment.refresh_from_db()
    document.refresh_from_db()
    assert (decision.case.status, decision.refunded) == (CaseStatus.HIDDEN, 0)
    assert comment.status == CommentStatus.HIDDEN and comment.changed_at is not None
    assert document.status == DocumentStatus.PUBLISHED  # the document stays
    assert takedown_case(document) is None
    row = ModerationAction.objects.get()
    assert (
        row.action,
        row.from_status,
        row.to_status,
        row.comment_id,
        row.case_id,
        row.actor_id,
        row.note,
    ) == (
        "hide_comment",
        "visible",
        "hidden",
        comment.pk,
        case.pk,
        moderator.pk,
        "人身攻击",
    )
    told = {n.user_id: (n.kind, n.title, n.body) for n in Notification.objects.all()}
    assert told == {
        author.pk: (
            "comment_hidden",
            "您在《讲话稿》下的评论已被隐藏",
            "原因：人身攻击。被隐藏的评论：难听的话",
        ),
        reporter.pk: (
            "case_decided",
            f"案件 #{case.pk}（文档 {document.number} 下的评论）成立，评论已隐藏",
            "处理理由：人身攻击",
        ),
    }
    # A hidden comment takes no reply and no further report.
    assert _refusal(
        author=reporter, document=document, body="回复", parent_id=comment.pk
    ).startswith("要回复的评论不存在")
    with pytest.raises(ReportRejected) as refused:
        _report(comment, make_user())
    assert refused.value.message == "该评论不存在或已被删除 / This comment is gone"


def test_a_rejected_comment_report_leaves_the_comment(make_user, make_document):
    comment = comment_create(author=make_user(), document=make_document(), body="正常")
    case = _report(comment, make_user(), reason="ad").case
    case_decide(
        case=case, by=make_user(is_staff=True), action="reject", reason="未违规"
    )
    comment.refresh_from_db()
    case.refresh_from_db()
    assert (comment.status, case.status) == (CommentStatus.VISIBLE, CaseStatus.REJECTED)
    assert ModerationAction.objects.get().to_status == "visible"


def test_comment_and_document_reports_take_their_own_reasons(make_user, make_document):
    document, reporter = make_document(), make_user()
    comment = comment_create(author=make_user(), document=document, body="广告")
    for target, reason in ((None, "abuse"), (comment, "mismatch")):
        with pytest.raises(ReportRejected) as refused:
            report_create(
                document=document,
                comment=target,
                reporter=reporter,
                reason=reason,
                description="",
                contact="",
            )
        assert refused.value.message == "请选择举报原因 / Choose a reason"
    # A report of the document and one of its comment are separate cases.
    of_document = report_create(
        document=document, reporter=reporter, reason="ad", description="", contact=""
    )
    of_comment = _report(comment, reporter, reason="ad")
    assert of_document.pk != of_comment.pk
    assert Case.objects.count() == 2


# --- the pages ----------------------------------------------------------------


def _comment_bodies(html: str) -> list[str]:
    return re.findall(r'<p class="comment-body" data-comment-body>(.*?)</p>', html)


def test_an_anonymous_reader_sees_each_change_on_the_next_request(
    client, make_user, make_document
):
    document = make_document(title="缓存的页面")
    path = document.get_absolute_url()
    author = make_user(display_name="张三丰")
    html = client.get(path).content.decode()  # kept by the page cache
    assert "暂无评论" in html and "登录后发表评论" in html
    comment = comment_create(author=author, document=document, body="第一条评论")
    html = client.get(path).content.decode()
    assert _comment_bodies(html) == ["第一条评论"]
    assert "张***" in html and "张三丰" not in html
    assert '<span class="comment-count" data-comment-count>1 条评论</span>' in html
    reply = comment_create(
        author=make_user(), document=document, body="一条回复", parent_id=comment.pk
    )
    assert _comment_bodies(client.get(path).content.decode()) == [
        "第一条评论",
        "一条回复",
    ]
    case = _report(reply, make_user()).case
    case_decide(case=case, by=make_user(is_staff=True), action="take_down", reason="x")
    html = client.get(path).content.decode()
    assert _comment_bodies(html) == ["第一条评论"] and "一条回复" not in html
    comment_delete(comment=comment, by=author)
    html = client.get(path).content.decode()
    assert _comment_bodies(html) == [] and "第一条评论" not in html
    assert "暂无评论" in html


def test_a_member_gets_the_form_on_the_cached_page_and_deletes_their_own(
    client, make_user, make_document
):
    document = make_document(title="会员评论", price=5)
    path = document.get_absolute_url()
    others = comment_create(author=make_user(), document=document, body="别人说的")
    client.get(path)  # the anonymous page is kept
    member = make_user(display_name="Reader")
    client.force_login(member)
    html = client.get(path).content.decode()
    assert "data-comment-form" in html and "登录后发表评论" not in html
    assert "署名 R***" in html
    assert 'data-action="delete-comment"' not in html
    assert f'name="parent" value="{others.pk}"' in html  # a reply form
    response = client.post(
        f"/documents/{document.number}/comments/", {"body": "我也来说一句"}
    )
    mine = Comment.objects.get(author=member)
    assert response.status_code == 302
    assert response["Location"] == f"{path}#comment-{mine.pk}"
    html = client.get(path).content.decode()
    assert "评论已发表" in html
    assert _comment_bodies(html) == ["我也来说一句", "别人说的"]
    assert html.count('data-action="delete-comment"') == 1
    response = client.post(
        f"/documents/{document.number}/comments/",
        {"body": "回复别人", "parent": str(others.pk)},
    )
    assert response.status_code == 302
    client.post(f"/comments/{mine.pk}/delete/")
    html = client.get(path).content.decode()
    assert "评论已删除" in html
    assert _comment_bodies(html) == ["别人说的", "回复别人"]
    # A visitor sees the same comments and the way to sign in.
    client.logout()
    html = client.get(path).content.decode()
    assert _comment_bodies(html) == ["别人说的", "回复别人"]
    assert "登录后发表评论" in html and "data-comment-form" not in html


def test_a_refused_comment_keeps_the_text_and_says_why(
    client, make_user, make_document
):
    document = make_document()
    client.force_login(make_user())
    url = f"/documents/{document.number}/comments/"
    response = client.post(url, {"body": "   "})
    html = response.content.decode()
    assert response.status_code == 400
    assert "请填写评论内容 / Write something first" in html
    response = client.post(url, {"body": "长" * 501})
    assert response.status_code == 400
    assert "长" * 501 in response.content.decode()
    response = client.post(url, {"body": "回复", "parent": "abc"})
    assert "要回复的评论不存在或已删除" in response.content.decode()
    assert not Comment.objects.exists()


def test_visitors_posting_are_sent_to_sign_in(client, make_document):
    document = make_document()
    response = client.post(f"/documents/{document.number}/comments/", {"body": "嗨"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not Comment.objects.exists()


def test_comments_are_rate_limited_per_member(
    client, make_user, make_document, settings
):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": (2, 60)}
    document = make_document()
    client.force_login(make_user())
    url = f"/documents/{document.number}/comments/"
    assert client.post(url, {"body": "一"}).status_code == 302
    assert client.post(url, {"body": "二"}).status_code == 302
    response = client.post(url, {"body": "三"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 60
    assert "操作过于频繁" in response.content.decode()
    assert Comment.objects.count() == 2
    client.force_login(make_user())  # another member has their own count
    assert client.post(url, {"body": "四"}).status_code == 302


def test_comments_page_through_newest_threads_first(client, make_user, make_document):
    document = make_document()
    member = make_user()
    for n in range(1, 13):
        comment_create(author=member, document=document, body=f"第{n}条")
    html = client.get(document.get_absolute_url()).content.decode()
    assert _comment_bodies(html) == [f"第{n}条" for n in range(12, 2, -1)]
    assert "12 条评论" in html and "第 1 / 2 页" in html
    assert f'href="/documents/{document.number}/comments/?page=2#comments"' in html
    page_two = client.get(f"/documents/{document.number}/comments/?page=2")
    assert _comment_bodies(page_two.content.decode()) == ["第2条", "第1条"]
    assert (
        client.get(f"/documents/{document.number}/comments/?page=3").status_code == 404
    )
    hidden = make_document(status=DocumentStatus.IN_REVIEW)
    assert client.get(f"/documents/{hidden.number}/comments/").status_code == 404


def test_reporting_a_comment_from_the_page(client, make_user, make_document):
    document = make_document()
    comment = comment_create(author=make_user(), document=document, body="刷广告")
    reporter = make_user()
    client.force_login(reporter)
    form = client.get(f"/comments/{comment.pk}/report/").content.decode()
    assert (
        "刷广告" in form and 'value="abuse"' in form and 'value="mismatch"' not in form
    )
    response = client.post(
        f"/comments/{comment.pk}/report/", {"reason": "ad", "description": "广告"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{document.get_absolute_url()}#comments"
    report = Report.objects.get()
    assert (report.comment_id, report.reporter_id, report.case.status) == (
        comment.pk,
        reporter.pk,
        CaseStatus.OPEN,
    )
    response = client.post(f"/comments/{comment.pk}/report/", {"reason": "mismatch"})
    assert response.status_code == 400
    comment_delete(comment=comment, by=comment.author)
    assert client.get(f"/comments/{comment.pk}/report/").status_code == 404


def test_a_moderator_hides_a_comment_from_the_workspace(
    client, make_user, make_document
):
    document = make_document()
    comment = comment_create(author=make_user(), document=document, body="辱骂内容")
    case = _report(comment, make_user()).case
    client.force_login(make_user(is_staff=True))
    workspace = client.get("/moderation/").content.decode()
    assert "评论：辱骂内容" in workspace
    # Upholding in bulk names what it does to the cases listed.
    bulk_button = '<button class="btn-primary" name="action" value="take_down">'
    assert f"{bulk_button}成立：隐藏评论</button>" in workspace
    report_create(
        document=make_document(),
        reporter=make_user(),
        reason="ad",
        description="广告",
        contact="",
    )
    workspace = client.get("/moderation/").content.decode()
    assert f"{bulk_button}成立：下架文档，隐藏评论</button>" in workspace
    page = client.get(f"/moderation/cases/{case.pk}/").content.decode()
    assert "被举报的评论" in page and "成立：隐藏评论" in page
    response = client.post(
        f"/moderation/cases/{case.pk}/", {"action": "take_down", "reason": "辱骂"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN
    assert "辱骂内容" not in client.get(document.get_absolute_url()).content.decode()


def test_a_moderator_shows_a_hidden_comment_again_with_an_audit_row(
    client, make_user, make_document
):
    document = make_document()
    author = make_user()
    comment = comment_create(author=author, document=document, body="被误删的评论")
    case = _report(comment, make_user()).case
    moderator = make_user(is_staff=True)
    case_decide(case=case, by=moderator, action="take_down", reason="辱骂")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN
    client.force_login(moderator)
    page = client.get(f"/moderation/cases/{case.pk}/").content.decode()
    assert "恢复显示评论" in page
    # A note past the limit is refused with the limit, and nothing changes.
    response = client.post(
        f"/moderation/cases/{case.pk}/restore-comment/",
        {"note": "长" * 501},
        follow=True,
    )
    assert response.status_code == 200
    assert "处理理由不超过 500 个字符" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN
    assert ModerationAction.objects.filter(case=case).count() == 1
    response = client.post(
        f"/moderation/cases/{case.pk}/restore-comment/", {"note": "复核后无不当内容"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    case.refresh_from_db()
    assert (comment.status, case.status) == (CommentStatus.VISIBLE, CaseStatus.RESTORED)
    row = ModerationAction.objects.filter(case=case).latest("pk")
    assert (row.action, row.from_status, row.to_status, row.actor, row.note) == (
        "restore_comment",
        CommentStatus.HIDDEN,
        CommentStatus.VISIBLE,
        moderator,
        "复核后无不当内容",
    )
    told = Notification.objects.filter(user=author, kind="comment_restored").get()
    assert told.link == document.get_absolute_url()
    assert "被误删的评论" in client.get(document.get_absolute_url()).content.decode()
    # Once shown, there is nothing to restore: the page offers no button, and a
    # second post says so without writing anything.
    assert (
        "恢复显示评论"
        not in client.get(f"/moderation/cases/{case.pk}/").content.decode()
    )
    response = client.post(
        f"/moderation/cases/{case.pk}/restore-comment/", {"note": ""}, follow=True
    )
    assert f"案件 #{case.pk} 的评论未被隐藏" in response.content.decode()
    assert ModerationAction.objects.filter(case=case).count() == 2
    # Not for members: a reader cannot show a hidden comment.
    other = comment_create(author=author, document=document, body="另一条")
    other_case = _report(other, make_user()).case
    case_decide(case=other_case, by=moderator, action="take_down", reason="广告")
    client.force_login(make_user())
    client.post(f"/moderation/cases/{other_case.pk}/restore-comment/")
    other.refresh_from_db()
    assert other.status == CommentStatus.HIDDEN


def test_comment_pages_in_english_carry_no_chinese_of_the_site(
    client, make_user, make_document
):
    from wenku.core.models import SiteSettings

    SiteSettings.objects.update(
        site_name="Wenku", tagline="Share", footer_notice="C to C."
    )
    document = make_document(title="Speech", pages=["Page one.", "Page two."])
    author = make_user("leaf", display_name="Leaf")
    top = comment_create(author=author, document=document, body="Useful, thanks")
    comment_create(
        author=make_user("tree", display_name="Tree"),
        document=document,
        body="Agreed",
        parent_id=top.pk,
    )
    gone = comment_create(author=author, document=document, body="Oops")
    comment_create(author=author, document=document, body="Me too", parent_id=gone.pk)
    comment_delete(comment=gone, by=author)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    han = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")

    def chinese_of(path: str, status: int = 200) -> set[str]:
        response = client.get(path)
        assert response.status_code == status, path
        body = response.content.decode().split("<body>", 1)[1]
        body = body.replace('value="zh-hans">中文<', "")
        return set(han.findall(re.sub(r"<[^>]+>", " ", body)))

    paths = [
        document.get_absolute_url(),
        f"/documents/{document.number}/comments/",
        f"/comments/{top.pk}/report/",
    ]
    for path in paths:  # a visitor
        assert chinese_of(path) == set(), path
    html = client.get(document.get_absolute_url()).content.decode()
    assert '<span class="comment-count" data-comment-count>3 comments</span>' in html
    assert "Log in to comment" in html
    assert "This comment was deleted by its author" in html
    client.force_login(author)
    for path in paths:  # a member: the form, reply forms, delete buttons
        assert chinese_of(path) == set(), path
    html = client.get(document.get_absolute_url()).content.decode()
    assert "Up to 500 characters, shown publicly, signed L***" in html
    assert "Reply to T***" in html
    response = client.post(f"/documents/{document.number}/comments/", {"body": " "})
    assert response.status_code == 400
    assert "Write something first" in response.content.decode()
    assert "请填写" not in response.content.decode()


def test_the_api_lists_a_documents_comments(client, make_user, make_document):
    document = make_document()
    author = make_user(display_name="张三丰")
    top = comment_create(author=author, document=document, body="第一条")
    reply = comment_create(
        author=make_user(display_name="李四"),
        document=document,
        body="回复第一条",
        parent_id=top.pk,
    )
    deeper = comment_create(
        author=author, document=document, body="再回复", parent_id=reply.pk
    )
    gone = comment_create(author=author, document=document, body="删掉的")
    comment_delete(comment=gone, by=author)
    response = client.get(f"/api/documents/{document.number}/comments")
    assert response.status_code == 200
    data = response.json()
    for row in (data["threads"][0]["comment"], *data["threads"][0]["replies"]):
        row.pop("created_at")
    assert data == {
        "count": 3,
        "page": 1,
        "pages": 1,
        "threads": [
            {
                "comment": {
                    "id": top.pk,
                    "author": "张***",
                    "body": "第一条",
                    "reply_to": None,
                },
                "status": "visible",
                "replies": [
                    {
                        "id": reply.pk,
                        "author": "李***",
                        "body": "回复第一条",
                        "reply_to": None,
                    },
                    {
                        "id": deeper.pk,
                        "author": "张***",
                        "body": "再回复",
                        "reply_to": "李***",
                    },
                ],
                "more_replies": 0,
            }
        ],
    }
    assert client.get(f"/api/documents/{document.number}/comments?page=2").json() == {
        "message": "这一页没有评论 / No comments on this page"
    }
    hidden = make_document(status=DocumentStatus.IN_REVIEW)
    assert client.get(f"/api/documents/{hidden.number}/comments").status_code == 404


def test_a_long_thread_shows_its_first_replies_and_counts_the_rest(
    make_user, make_document, monkeypatch
):
    from wenku.community import selectors

    monkeypatch.setattr(selectors, "REPLIES_SHOWN", 3)
    document, member = make_document(), make_user()
    busy = comment_create(author=member, document=document, body="热门")
    quiet = comment_create(author=member, document=document, body="冷门")
    for n in range(1, 6):
        comment_create(
            author=member, document=document, body=f"回复{n}", parent_id=busy.pk
        )
    comment_create(
        author=member, document=document, body="唯一回复", parent_id=quiet.pk
    )
    page = selectors.comment_page(document=document)
    assert [
        (t.comment.body, [r.body for r in t.replies], t.more_replies)
        for t in page.threads
    ] == [
        ("冷门", ["唯一回复"], 0),
        ("热门", ["回复1", "回复2", "回复3"], 2),
    ]
    assert page.count == 8
