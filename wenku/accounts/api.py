"""API: register and obtain a token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from wenku.accounts.forms import RegisterForm
from wenku.accounts.services import api_token_create, user_create

router = Router(tags=["auth"])


class Credentials(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=4096)


class RegisterIn(Credentials):
    display_name: str = Field(default="", max_length=40)


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
    form = RegisterForm(
        data={
            "username": payload.username,
            "display_name": payload.display_name,
            "password1": payload.password,
            "password2": payload.password,
        }
    )
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        raise HttpError(400, str(first))
    try:
        user = user_create(
            username=form.cleaned_data["username"],
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
