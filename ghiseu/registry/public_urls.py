from django.urls import path

from ghiseu.registry import views

app_name = "registry-public"

urlpatterns = [
    path("", views.entry_list, name="status"),
]
