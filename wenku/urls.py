"""URL map: pages, admin, API, SEO files."""

from django.contrib import admin
from django.urls import include, path

from wenku.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("accounts/", include("wenku.accounts.urls")),
    path("", include("wenku.documents.urls")),
    path("", include("wenku.search.urls")),
    path("", include("wenku.wallet.urls")),
    path("moderation/review/", include("wenku.moderation.review_urls")),
    path("", include("wenku.moderation.urls")),
    path("", include("wenku.notifications.urls")),
    path("", include("wenku.community.urls")),
    path("", include("wenku.core.urls")),
]

# The branded 404, which links to the last page when a page number is past it.
handler404 = "wenku.core.errors.page_not_found"
