"""API routes of community: a document's comments, read-only (posting is the site's
form, with its rate limits)."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from wenku.accounts.api_auth import optional_bearer_user
from wenku.community.models import Comment
from wenku.community.selectors import comment_page
from wenku.documents.access import document_get_for_user

router = Router(tags=["community"])


class Message(Schema):
    message: str


class CommentOut(Schema):
    id: int
    author: str  # the masked name (一***), as on the page
    body: str
    reply_to: str | None  # whom a reply to a reply answers (masked), else null
    created_at: datetime


class ThreadOut(Schema):
    # null fields: a top comment deleted or hidden, kept for its visible replies
    comment: CommentOut | None
    status: str
    replies: list[CommentOut]
    more_replies: int


class CommentsOut(Schema):
    count: int
    page: int
    pages: int
    threads: list[ThreadOut]


class CommentsIn(Schema):
    page: int = Field(1, ge=1, le=100_000)


def _comment(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "author": comment.author.public_name,
        "body": comment.body,
        "reply_to": comment.reply_to.public_name if comment.reply_to else None,
        "created_at": comment.created_at,
    }


@router.get(
    "/documents/{number}/comments",
    response={200: CommentsOut, 404: Message},
    summary="评论 / A document's comments: threads newest first, replies oldest first",
)
def comments(request: HttpRequest, number: int, params: Query[CommentsIn]):
    try:
        document, _access = document_get_for_user(
            number=number, user=optional_bearer_user(request)
        )
    except Http404 as exc:
        raise HttpError(404, "文档不存在 / Document not found") from exc
    found = comment_page(document=document, page=params.page)
    if found.number != params.page:
        raise HttpError(404, "这一页没有评论 / No comments on this page")
    return {
        "count": found.count,
        "page": found.number,
        "pages": found.pages,
        "threads": [
            {
                "comment": _comment(thread.comment) if thread.comment.visible else None,
                "status": thread.comment.status,
                "replies": [_comment(reply) for reply in thread.replies],
                "more_replies": thread.more_replies,
            }
            for thread in found.threads
        ],
    }
