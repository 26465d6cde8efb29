"""Community writes: following uploaders, keeping each member's reading position,
and comments — posting, replying, deleting one's own, hiding on a moderator's
decision."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wenku.accounts.models import User
from wenku.community.models import (
    COMMENT_MAX,
    Comment,
    CommentStatus,
    Follow,
    ReadingPosition,
)
from wenku.documents.access import CommentRefusal, document_access
from wenku.documents.models import Document
from wenku.notifications.services import notify

logger = logging.getLogger(__name__)


class CommunityRejected(Exception):
    """A community request refused, with a message a person can act on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def follow_set(*, follower: User, uploader: User, follow: bool) -> bool:
    """Follow (or stop following) an uploader; returns whether the member now follows.

    Following twice or unfollowing someone not followed changes nothing.
    """
    if follower.pk == uploader.pk:
        raise CommunityRejected(
            "self_follow", "不能关注自己 / You cannot follow yourself"
        )
    if not uploader.is_active:
        raise CommunityRejected(
            "inactive", "该会员已停用，不能关注 / This member's account is closed"
        )
    if not follow:
        Follow.objects.filter(follower=follower, uploader=uploader).delete()
        return False
    try:
        with transaction.atomic():
            Follow.objects.get_or_create(follower=follower, uploader=uploader)
    except IntegrityError:
        pass  # a concurrent follow of the same uploader won: the member follows
    return True


def reading_position_save(*, user: User, document: Document, page: int) -> int:
    """Remember the page a member reached; only a page they may read is kept."""
    access = document_access(user=user, document=document)
    if not access.view or not getattr(user, "is_authenticated", False):
        raise CommunityRejected(
            "not_readable", "文档不存在或已删除 / Document not found"
        )
    if type(page) is not int or not access.may_view_page(page):
        raise CommunityRejected(
            "bad_page",
            f"页码应在 1 到 {access.readable_pages} 之间 / The page must be between "
            f"1 and {access.readable_pages}",
        )
    with transaction.atomic():
        updated = ReadingPosition.objects.filter(user=user, document=document).update(
            page=page
        )
        if not updated:
            try:
                with transaction.atomic():
                    ReadingPosition.objects.create(
                        user=user, document=document, page=page
                    )
            except IntegrityError:  # the same member's other tab created it first
                ReadingPosition.objects.filter(user=user, document=document).update(
                    page=page
                )
    return page


# The same text again from the same member in the same place this soon is a
# double submit: it answers with the comment already there.
REPEAT_WINDOW = timedelta(minutes=10)
NOTICE_EXCERPT = 100  # characters of a reply quoted in its notification


def _comment_refused(refusal: CommentRefusal) -> CommunityRejected:
    messages = {
        CommentRefusal.SIGN_IN: _("请先登录 / Please log in first"),
        CommentRefusal.NOT_PUBLISHED: _(
            "文档尚未发布，不能评论 / Only a published document takes comments"
        ),
        CommentRefusal.SUSPENDED: _(
            "您的账号已被停用，不能发表评论 / Your account is suspended: you "
            "can't comment"
        ),
    }
    return CommunityRejected(f"comment_{refusal}", messages[refusal])


def comment_body_clean(body: object) -> str:
    """The text of a comment: stripped, with Windows line ends made plain; refused
    when empty, too long or holding control characters."""
    text = body.replace("\r\n", "\n").strip() if isinstance(body, str) else ""
    if not text:
        raise CommunityRejected(
            "comment_empty", _("请填写评论内容 / Write something first")
        )
    if len(text) > COMMENT_MAX:
        raise CommunityRejected(
            "comment_too_long",
            _(
                "评论不能超过 %(max)s 个字，现在有 %(n)s 个字 / A comment can be at "
                "most %(max)s characters; this one has %(n)s"
            )
            % {"max": COMMENT_MAX, "n": len(text)},
        )
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        raise CommunityRejected(
            "comment_bad_text",
            _(
                "评论含有无法显示的字符 / The comment holds characters that can't be shown"
            ),
        )
    return text


def _thread_of(parent_id: int, document: Document) -> tuple[Comment, Comment]:
    """The top comment a reply joins, and the comment it answers."""
    parent = (
        Comment.objects.select_related("parent", "author")
        .filter(pk=parent_id, document=document)
        .first()
    )
    if parent is None or not parent.visible:
        raise CommunityRejected(
            "comment_no_parent",
            _("要回复的评论不存在或已删除 / The comment you are replying to is gone"),
        )
    top = parent if parent.parent is None else parent.parent
    return top, parent


def comment_create(
    *, author: User, document: Document, body: object, parent_id: int | None = None
) -> Comment:
    """Post a comment on a document, or with ``parent_id`` a reply in that comment's
    thread (a reply to a reply joins the top comment's thread and names whom it
    answers).

    Who may is ``DocumentAccess.comment`` (members in good standing, published
    documents); the author of the comment answered is notified.
    """
    refusal = document_access(user=author, document=document).comment_refusal
    if refusal is not None:
        raise _comment_refused(refusal)
    text = comment_body_clean(body)
    top: Comment | None = None
    answered: User | None = None
    reply_to: User | None = None
    if parent_id is not None:
        top, parent = _thread_of(parent_id, document)
        answered = parent.author
        reply_to = parent.author if parent.parent_id else None
    with transaction.atomic():
        # One member's comments are written one at a time: a double submit finds
        # the first one here.
        User.objects.select_for_update().filter(pk=author.pk).first()
        earlier = (
            Comment.objects.filter(
                author=author,
                document=document,
                parent=top,
                body=text,
                status=CommentStatus.VISIBLE,
                created_at__gte=timezone.now() - REPEAT_WINDOW,
            )
            .order_by("-created_at")
            .first()
        )
        if earlier is not None:
            return earlier
        comment = Comment.objects.create(
            document=document, author=author, parent=top, reply_to=reply_to, body=text
        )
        if answered is not None and answered.pk != author.pk:
            notify(
                user=answered,
                kind="comment_reply",
                title=gettext_noop("%(name)s 回复了您在《%(title)s》下的评论"),
                body=gettext_noop("%(body)s"),
                link=f"{document.get_absolute_url()}#comment-{comment.pk}",
                params={
                    "name": author.public_name,
                    "title": document.title,
                    "body": text[:NOTICE_EXCERPT],
                },
            )
    logger.info("comment %s on %s by %s", comment.pk, document.number, author.pk)
    return comment


def comment_delete(*, comment: Comment, by: User) -> Comment:
    """Its author deletes a comment: it leaves the page (its replies stay, under
    a note that it was deleted). Deleting it twice changes nothing."""
    if comment.author_id != by.pk:
        raise CommunityRejected(
            "comment_not_yours",
            _("只能删除自己的评论 / You can only delete your own comments"),
        )
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.status == CommentStatus.VISIBLE:
            locked.status = CommentStatus.DELETED
            locked.changed_at = timezone.now()
            locked.save(update_fields=["status", "changed_at"])
    return locked


def _comment_moderated(
    comment: Comment, *, before: str, after: str, notice: dict[str, Any]
) -> Comment:
    """Move a comment from ``before`` to ``after`` on a moderator's decision and tell
    its author (``notice``: the notification's kind, title, body and params); a
    comment not in ``before`` stays as it is."""
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update()
            .select_related("document", "author")
            .get(pk=comment.pk)
        )
        if locked.status != before:
            return locked
        locked.status = after
        locked.changed_at = timezone.now()
        locked.save(update_fields=["status", "changed_at"])
        notify(user=locked.author, link=locked.document.get_absolute_url(), **notice)
    return locked


def comment_hide(*, comment: Comment, reason: str) -> Comment:
    """Hide a comment on a moderator's decision (moderation.case_decide calls this
    and writes the audit row): it leaves the page and its author is told why. A
    comment already gone stays as it is."""
    return _comment_moderated(
        comment,
        before=CommentStatus.VISIBLE,
        after=CommentStatus.HIDDEN,
        notice={
            "kind": "comment_hidden",
            "title": gettext_noop("您在《%(title)s》下的评论已被隐藏"),
            "body": gettext_noop("原因：%(reason)s。被隐藏的评论：%(body)s"),
            "params": {
                "title": comment.document.title,
                "reason": reason,
                "body": comment.body[:NOTICE_EXCERPT],
            },
        },
    )


def comment_unhide(*, comment: Comment, note: str) -> Comment:
    """Show a hidden comment again on a moderator's second look (moderation's
    case_restore calls this and writes the audit row); its author is told. A
    comment not hidden stays as it is."""
    return _comment_moderated(
        comment,
        before=CommentStatus.HIDDEN,
        after=CommentStatus.VISIBLE,
        notice={
            "kind": "comment_restored",
            "title": gettext_noop("您在《%(title)s》下的评论已恢复显示"),
            "body": gettext_noop("%(note)s") if note else "",
            "params": {"title": comment.document.title, "note": note},
        },
    )
