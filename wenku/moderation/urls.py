from django.urls import path

from wenku.moderation import views

app_name = "moderation"

urlpatterns = [
    path("documents/<int:number>/report/", views.report, name="report"),
]
