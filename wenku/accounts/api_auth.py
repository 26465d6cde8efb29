"""Bearer-token authentication for the JSON API."""

from __future__ import annotations

from django.http import HttpRequest
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
