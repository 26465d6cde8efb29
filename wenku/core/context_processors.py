"""Template context shared by every page: site settings and category navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from wenku.core.selectors import category_roots, site_settings_get


def site(request: HttpRequest) -> dict[str, Any]:
    return {"site": site_settings_get(), "nav_categories": category_roots()}
