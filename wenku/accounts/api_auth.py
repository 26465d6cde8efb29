"""Bearer-token authentication for the JSON API."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from wenku.accounts.models import User
from wenku.accounts.services import api_token_use


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        row = api_token_use(secret=token)
        if row is None:
            return None
        request.user = row.user
        # DELETE /api/auth/token revokes the very token the call came with.
        request.api_token = row  # type: ignore[attr-defined]
        return row.user


bearer = BearerToken()


def optional_bearer_user(request: HttpRequest):
    """The bearer's user when the request carries a token (401 when it is not
    valid), else the session's user, signed in or anonymous: for endpoints open to
    everyone that answer members more (their unpublished or bought documents)."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = bearer.authenticate(request, header[7:].strip())
        if user is None:
            raise HttpError(401, "Bearer 令牌无效 / Invalid token")
        return user
    return request.user
