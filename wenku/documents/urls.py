from django.urls import path

from wenku.documents import member_views, seo, upload_views, views

app_name = "documents"

urlpatterns = [
    path("documents/<int:number>/", views.detail, name="detail"),
    path("documents/<int:number>/pages/", views.more_pages, name="more_pages"),
    path(
        "documents/<int:number>/page/<int:page>.webp",
        views.page_image,
        name="page_image",
    ),
    path("documents/<int:number>/cover.webp", views.cover, name="cover"),
    path("documents/<int:number>/status.json", views.status, name="status"),
    path("documents/<int:number>/favorite/", views.favorite, name="favorite"),
    path("documents/<int:number>/rate/", views.rate, name="rate"),
    path("documents/<int:number>/edit/", member_views.edit, name="edit"),
    path("documents/<int:number>/delete/", member_views.delete, name="delete"),
    path("documents/<int:number>/relist/", member_views.relist, name="relist"),
    path("upload/", upload_views.upload, name="upload"),
    path("me/", member_views.uploads, name="me"),
    path("me/favorites/", member_views.favorites, name="favorites"),
    path("sitemap.xml", seo.sitemap_index, name="sitemap_index"),
    path("sitemap-<section>.xml", seo.sitemap_section, name="sitemap_section"),
    path("robots.txt", seo.robots, name="robots"),
]
