"""Staff pages of the archive (mounted at /arhiva/)."""

from django.urls import path  # noqa: F401  (the pages are added below)

app_name = "archive"

urlpatterns: list = []
