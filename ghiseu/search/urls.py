"""The staff search page, mounted at /cautare/."""

from django.urls import path

from ghiseu.search import views

app_name = "search"

urlpatterns = [
    path("", views.search_results, name="results"),
]
