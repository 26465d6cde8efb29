"""API: register, obtain, list and revoke tokens."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from pydantic import Field

from wenku.accounts.api_auth import bearer
from wenku.accounts.lockout import lockout_message
from wenku.accounts.models import ApiToken
from wenku.accounts.services import (
    api_token_issue,
    api_token_revoke,
    user_create,
)
from wenku.core.clientip import client_ip
from wenku.core.ratelimit import rate_limit

router = Router(tags=["auth"])


class Credentials(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=4096)


# Only types: the rules are user_create's, as for the sign-up form.
class RegisterIn(Schema):
    username: str = Field(description="1-150 letters, digits and @.+-_")
    password: str = Field(description="checked by the site's password validators")
    display_name: str = Field(default="", description="at most 40 characters")


class UserOut(Schema):
    id: int
    username: str
    display_name: str


class TokenOut(Schema):
    token: str
    expires: datetime


class TokenInfo(Schema):
    """A token as listed: never its secret."""

    id: int
    created: datetime
    expires: datetime
    last_used: datetime | None


class Message(Schema):
    message: str


@router.post("/auth/register", response={201: UserOut, 400: Message, 429: Message})
@decorate_view(rate_limit("register"))
def register(request: HttpRequest, payload: RegisterIn):
    try:
        user = user_create(
            username=payload.username,
            password=payload.password,
            display_name=payload.display_name,
            ip=client_ip(request) or None,
        )
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    return Status(
        201,
        {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
        },
    )


@router.post("/auth/token", response={200: TokenOut, 401: Message, 429: Message})
@decorate_view(rate_limit("token"))
def token(request: HttpRequest, payload: Credentials):
    # The request goes to authenticate so django-axes counts failures and locks out.
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        return Status(429, {"message": lockout_message(request)})
    if user is None:
        raise HttpError(401, "用户名或密码错误 / Wrong username or password")
    secret, row = api_token_issue(user=user)
    return {"token": secret, "expires": row.expires_at}


@router.delete("/auth/token", auth=bearer, response={204: None})
def token_revoke(request: HttpRequest):
    api_token_revoke(user=request.user, token_id=request.api_token.pk)
    return Status(204, None)


@router.get("/auth/tokens", auth=bearer, response=list[TokenInfo])
def token_list(request: HttpRequest):
    return [
        {
            "id": row.pk,
            "created": row.created_at,
            "expires": row.expires_at,
            "last_used": row.last_used_at,
        }
        for row in ApiToken.objects.filter(user=request.user)
    ]
