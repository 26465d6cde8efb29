from django.urls import path

from wenku.moderation import views

app_name = "moderation"

urlpatterns = [
    path("documents/<int:number>/report/", views.report, name="report"),
    path(
        "comments/<int:comment_id>/report/",
        views.comment_report,
        name="comment_report",
    ),
    path(
        "documents/<int:number>/counter-notice/",
        views.counter_notice,
        name="counter_notice",
    ),
    path("complaints/new/", views.complaint_new, name="complaint"),
    path("transparency/", views.transparency, name="transparency"),
    path("moderation/", views.workspace, name="workspace"),
    path("moderation/cases/<int:case_id>/", views.case_detail, name="case"),
    path(
        "moderation/cases/<int:case_id>/legal-action/",
        views.legal_action,
        name="legal_action",
    ),
    path(
        "moderation/cases/<int:case_id>/restore-comment/",
        views.comment_restore,
        name="comment_restore",
    ),
    path("moderation/bulk/", views.bulk, name="bulk"),
]
