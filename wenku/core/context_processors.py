"""Template context shared by every page: site settings and category navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from wenku.core.selectors import category_roots, site_settings_get


def site(request: HttpRequest) -> dict[str, Any]:
    # The site's own default texts in the reader's language (SiteSettings.displayed).
    return {"site": site_settings_get().displayed(), "nav_categories": category_roots()}
