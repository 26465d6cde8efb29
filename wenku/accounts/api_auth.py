"""Bearer-token authentication for the JSON API."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest
from ninja.security import HttpBearer

from wenku.accounts.models import ApiToken, User


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token or len(token) > 200:
            return None
        digest = hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
        row = ApiToken.objects.select_related("user").filter(key_hash=digest).first()
        if row is None or not row.user.is_active:
            return None
        request.user = row.user
        return row.user


bearer = BearerToken()
