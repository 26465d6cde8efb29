from django.urls import path

from wenku.community import views

app_name = "community"

urlpatterns = [
    path("u/<int:public_id>/", views.profile, name="profile"),
    path("u/<int:public_id>/follow/", views.follow, name="follow"),
    path("me/following/", views.feed, name="feed"),
    path("tags/<path:tag>/", views.tag, name="tag"),
    path("documents/<int:number>/qr.svg", views.share_qr, name="share_qr"),
    path("documents/<int:number>/position.json", views.position, name="position"),
    path("documents/<int:number>/comments/", views.comments, name="comments"),
    path(
        "comments/<int:comment_id>/delete/",
        views.comment_delete_view,
        name="comment_delete",
    ),
]
