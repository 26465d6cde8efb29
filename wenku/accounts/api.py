"""API: register and obtain a token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from wenku.accounts.services import api_token_create, user_create

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


class Message(Schema):
    message: str


@router.post("/auth/register", response={201: UserOut, 400: Message})
def register(request: HttpRequest, payload: RegisterIn):
    try:
        user = user_create(
            username=payload.username,
            password=payload.password,
            display_name=payload.display_name,
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


@router.post("/auth/token", response={200: TokenOut, 401: Message})
def token(request: HttpRequest, payload: Credentials):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise HttpError(401, "用户名或密码错误 / Wrong username or password")
    return {"token": api_token_create(user=user)}
