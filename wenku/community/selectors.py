"""Community reads: uploader profiles, their counts, follows and the followed feed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from wenku.accounts.models import User
from wenku.community.models import Follow, ReadingPosition
from wenku.documents.access import public_documents
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
