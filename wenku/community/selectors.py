"""Community reads: uploader profiles, their counts, follows and the followed feed,
and a document's comments thread by thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from wenku.accounts.models import User
from wenku.community.models import (
    COMMENT_MAX,
    Comment,
    CommentStatus,
    Follow,
    ReadingPosition,
)
from wenku.documents.access import document_access, public_documents
from wenku.documents.models import Document


@dataclass(frozen=True)
class ProfileCounts:
    documents: int
    downloads: int
    followers: int
    following: int


def profile_get(*, public_id: int) -> User:
    """The active member with this public number, or Http404."""
    user = User.objects.filter(public_id=public_id, is_active=True).first()
    if user is None:
        raise Http404("会员不存在 / No such member")
    return user


def profile_documents(*, user: User) -> QuerySet[Document]:
    """A member's published documents, newest first."""
    return public_documents().filter(uploader=user).order_by("-published_at", "-pk")


def profile_counts(*, user: User) -> ProfileCounts:
    """Published documents, their downloads, followers and follows of one member."""
    published = profile_documents(user=user)
    return ProfileCounts(
        documents=published.count(),
        downloads=published.aggregate(total=Sum("downloads"))["total"] or 0,
        followers=Follow.objects.filter(uploader=user).count(),
        following=Follow.objects.filter(follower=user).count(),
    )


def is_following(*, follower: Any, uploader: User) -> bool:
    if not getattr(follower, "is_authenticated", False):
        return False
    return Follow.objects.filter(follower=follower, uploader=uploader).exists()


def followed_uploaders(*, user: User) -> QuerySet[User]:
    return User.objects.filter(followers__follower=user, is_active=True).order_by(
        "-followers__created_at"
    )


def followed_feed(*, user: User) -> QuerySet[Document]:
    """Published documents of the uploaders a member follows, newest first."""
    return (
        public_documents()
        .filter(uploader__followers__follower=user)
        .select_related("uploader")
        .order_by("-published_at", "-pk")
    )


def reading_position_get(*, user: Any, document: Document) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        ReadingPosition.objects.filter(user=user, document=document)
        .values_list("page", flat=True)
        .first()
    )


TAG_MAX = 50


def tag_documents(*, tag: str) -> QuerySet[Document]:
    """Published documents carrying this tag (an exact tag, not a part of one)."""
    return (
        public_documents()
        .filter(
            Q(tags=tag)
            | Q(tags__startswith=f"{tag},")
            | Q(tags__endswith=f",{tag}")
            | Q(tags__contains=f",{tag},")
        )
        .order_by("-published_at", "-pk")
    )


THREADS_PER_PAGE = 10  # top comments on a page, newest first
REPLIES_SHOWN = 50  # replies shown under a top comment, oldest first


@dataclass(frozen=True)
class Thread:
    """A top comment (``comment.visible`` False: deleted or hidden, shown as a note
    because replies to it are still visible) and its visible replies."""

    comment: Comment
    replies: list[Comment]
    more_replies: int  # visible replies past REPLIES_SHOWN, not shown


@dataclass(frozen=True)
class CommentPage:
    """One page of a document's comments: what every reader of the page sees."""

    number: int
    pages: int
    count: int  # visible comments and replies of the document
    threads: list[Thread]
    body_max: int = COMMENT_MAX  # the longest comment taken (the forms' maxlength)

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _threads(document: Document) -> QuerySet[Comment]:
    """Top comments that show: visible ones, and gone ones with visible replies."""
    visible_reply = Comment.objects.filter(
        parent=OuterRef("pk"), status=CommentStatus.VISIBLE
    )
    return (
        Comment.objects.filter(document=document, parent=None)
        .filter(Q(status=CommentStatus.VISIBLE) | Exists(visible_reply))
        .select_related("author")
        .order_by("-created_at", "-pk")
    )


def _replies(tops: list[Comment]) -> dict[int, list[Comment]]:
    """The first REPLIES_SHOWN + 1 visible replies of each thread, in one query."""
    ranked = (
        Comment.objects.filter(parent__in=tops, status=CommentStatus.VISIBLE)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("parent_id")],
                order_by=[F("created_at").asc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=REPLIES_SHOWN + 1)
        .select_related("author", "reply_to")
        .order_by("parent_id", "created_at", "pk")
    )
    found: dict[int, list[Comment]] = {top.pk: [] for top in tops}
    for reply in ranked:
        found.setdefault(reply.parent_id or 0, []).append(reply)
    return found


def comment_count(*, document: Document) -> int:
    """Visible comments and replies of a document."""
    return Comment.objects.filter(
        document=document, status=CommentStatus.VISIBLE
    ).count()


def comment_page(*, document: Document, page: int = 1) -> CommentPage:
    """A page of a document's threads, newest first, each with its replies oldest
    first; a page past the last is the last (``number`` says which was given)."""
    paginator = Paginator(_threads(document), THREADS_PER_PAGE)
    number = min(max(page, 1), max(paginator.num_pages, 1))
    tops = list(paginator.page(number).object_list) if paginator.count else []
    replies = _replies(tops) if tops else {}
    reply_counts = {}
    for top in tops:
        if len(replies[top.pk]) > REPLIES_SHOWN:
            reply_counts[top.pk] = (
                Comment.objects.filter(parent=top, status=CommentStatus.VISIBLE).count()
                - REPLIES_SHOWN
            )
    return CommentPage(
        number=number,
        pages=max(paginator.num_pages, 1),
        # No thread shows: no visible comment at all (a visible reply shows its
        # thread), so a page without comments costs no count.
        count=comment_count(document=document) if tops else 0,
        threads=[
            Thread(
                comment=top,
                replies=replies[top.pk][:REPLIES_SHOWN],
                more_replies=reply_counts.get(top.pk, 0),
            )
            for top in tops
        ],
    )


def comment_get_for_user(*, pk: int, user: Any) -> Comment:
    """A visible comment on a document this user may see, or Http404."""
    comment = (
        Comment.objects.select_related(
            "document", "document__uploader", "author", "reply_to"
        )
        .filter(pk=pk, status=CommentStatus.VISIBLE)
        .first()
    )
    if (
        comment is None
        or not document_access(user=user, document=comment.document).view
    ):
        raise Http404("评论不存在或已删除 / No such comment")
    return comment


def comment_visible(*, pk: int, document: Document) -> Comment | None:
    """A visible comment of this document (the one a refused reply answered)."""
    return (
        Comment.objects.select_related("author")
        .filter(pk=pk, document=document, status=CommentStatus.VISIBLE)
        .first()
    )
