from django.urls import path

from wenku.search import views

app_name = "search"

urlpatterns = [
    path("search", views.results, name="results"),
    path("search/", views.results),
    path("search/click", views.click, name="click"),
]
