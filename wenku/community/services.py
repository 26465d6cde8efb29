"""Community writes: following uploaders and keeping each member's reading position."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from wenku.accounts.models import User
from wenku.community.models import Follow, ReadingPosition
from wenku.documents.access import document_access
from wenku.documents.models import Document


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
