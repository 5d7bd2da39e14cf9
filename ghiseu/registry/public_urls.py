"""The public page where a citizen follows a document, under /stare/."""

from django.urls import path

from ghiseu.registry import views

app_name = "registry-public"

urlpatterns = [
    path("", views.public_status, name="status"),
]
