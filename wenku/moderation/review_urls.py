"""URLs of 发布前审核, included under /moderation/review/ (wenku/urls.py)."""

from django.urls import path

from wenku.moderation import review_views

app_name = "moderation_review"

urlpatterns = [
    path("", review_views.queue, name="queue"),
    path("<int:number>/approve/", review_views.approve, name="approve"),
    path("<int:number>/reject/", review_views.reject, name="reject"),
]
