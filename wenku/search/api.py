"""API routes of the search app: search, suggestions, in-document search."""

from __future__ import annotations

from dataclasses import asdict

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from wenku.accounts.api_auth import optional_bearer_user
from wenku.conversion import registry
from wenku.core.ratelimit import rate_limit
from wenku.documents.access import document_get_for_user
from wenku.search import selectors

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = Field("", max_length=10_000, description="查询 / query")
    page: int = Field(1, ge=1, le=selectors.MAX_RESULT_PAGE)
    per_page: int = Field(20, ge=1, le=selectors.MAX_PER_PAGE)
    category: str | None = Field(None, max_length=60, description="分类 slug 或 id")
    format: str | None = Field(
        None,
        max_length=10,
        description="格式 / format: "
        + ", ".join(group.key for group in registry.GROUPS)
        + "（或其中的扩展名 / or an extension in one, e.g. docx）",
    )
    pages_min: int | None = Field(None, ge=0, le=1_000_000)
    pages_max: int | None = Field(None, ge=0, le=1_000_000)
    price: str | None = Field(None, pattern="^(free|paid)$")
    sort: str = Field("relevance", pattern="^(relevance|newest|downloads)$")


class SearchResultOut(Schema):
    number: int
    title: str = Field(description="标题（含扩展名）")
    url: str
    snippet: str = Field(description="HTML：高亮片段，仅来自可阅读的页面")
    score: float
    matched_page: int | None = Field(None, description="匹配所在页")
    page_locked: bool = Field(False, description="匹配仅在付费页（不返回其文字）")
    file_type: str
    page_count: int
    price: int
    similar: int = Field(0, description="收起的近似副本数（同一相似文档组的其他文档）")


class SearchOut(Schema):
    total: int
    page: int
    results: list[SearchResultOut]


class SuggestOut(Schema):
    suggestions: list[str]


class PageMatchOut(Schema):
    page: int
    count: int
    viewable: bool


class InDocumentOut(Schema):
    number: int
    pages: list[PageMatchOut]


class Message(Schema):
    message: str


@router.get("/search", response=SearchOut, summary="全文搜索 / Full-text search")
def search(request: HttpRequest, params: Query[SearchParams]) -> dict:
    found = selectors.search(
        params.q,
        user=request.user,
        page=params.page,
        per_page=params.per_page,
        category=params.category,
        file_type=params.format,
        pages_min=params.pages_min,
        pages_max=params.pages_max,
        price=params.price,
        sort=params.sort,
    )
    results = []
    for hit in found.results:
        document = hit.document
        snippet = hit.snippet_html
        if hit.page_locked:
            snippet = f"第{hit.matched_page}页有匹配"
        results.append(
            {
                "number": document.number,
                "title": document.display_title,
                "url": document.get_absolute_url(),
                "snippet": snippet,
                "score": hit.score,
                "matched_page": hit.matched_page,
                "page_locked": hit.page_locked,
                "file_type": document.file_type,
                "page_count": document.page_count,
                "price": document.price,
                "similar": hit.similar,
            }
        )
    return {"total": found.total, "page": found.page, "results": results}


@router.get(
    "/search/suggest",
    response={200: SuggestOut, 429: Message},
    summary="搜索建议 / Suggestions as you type",
)
@decorate_view(rate_limit("suggest", methods=("GET",)))
def suggest(
    request: HttpRequest, q: str = Query("", max_length=10_000), limit: int = 8
) -> dict:
    return {"suggestions": selectors.suggest(q, limit=max(1, min(limit, 20)))}


@router.get(
    "/documents/{number}/search",
    response={200: InDocumentOut, 401: Message, 404: Message},
    summary="文档内搜索 / Search inside one document",
    description="With `Authorization: Bearer <token>` the token's member is the "
    "reader (a buyer searches every page), else the signed-in session.",
)
def search_in_document(
    request: HttpRequest, number: int, q: str = Query("", max_length=10_000)
) -> Status:
    try:
        document, access = document_get_for_user(
            number=number, user=optional_bearer_user(request)
        )
    except Http404:
        return Status(404, {"message": "文档不存在或已删除"})
    matches = selectors.search_in_document(document, q, access=access)
    return Status(
        200,
        {"number": document.number, "pages": [asdict(match) for match in matches]},
    )
