from django.urls import path

from wenku.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:slug>/", views.category, name="category"),
    path("healthz", views.healthz, name="healthz"),
    path("lang/", views.language, name="language"),
]
