"""The JSON API (/api/, schema at /api/openapi.json). Each app contributes a router."""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from wenku.accounts.api import router as accounts_router
from wenku.accounts.api_auth import BearerToken
from wenku.community.api import router as community_router
from wenku.core.api import router as core_router
from wenku.documents.api import router as documents_router
from wenku.moderation.api import router as moderation_router
from wenku.notifications.api import router as notifications_router
from wenku.search.api import router as search_router
from wenku.wallet.api import router as wallet_router

api = NinjaAPI(
    title="Wenku API",
    version="1",
    description="文库 JSON API. Authenticate with `Authorization: Bearer <token>` "
    "from POST /api/auth/token.",
    urls_namespace="api",
    auth=None,
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request,
        {"message": "请求参数无效 / Invalid request", "errors": exc.errors},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"message": "需要登录（Bearer 令牌无效或缺失） / Authentication required"},
        status=401,
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"message": str(exc)}, status=exc.status_code)


@api.exception_handler(MultiPartParserError)
def _bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return api.create_response(
        request,
        {"message": "上传的表单数据格式错误 / Malformed multipart body"},
        status=400,
    )


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request, {"message": "请求体过大 / Request body too large"}, status=413
    )


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logging.getLogger("wenku.api").exception("API error on %s", request.path)
    return api.create_response(
        request, {"message": "服务器内部错误 / Internal error"}, status=500
    )


for router in (
    accounts_router,
    core_router,
    documents_router,
    search_router,
    wallet_router,
    moderation_router,
    notifications_router,
    community_router,
):
    api.add_router("/", router)
__all__ = ["BearerToken", "api"]
