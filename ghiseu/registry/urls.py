from django.urls import path

from ghiseu.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("coada/", views.entry_list, name="queue"),
    path("registru/", views.entry_list, name="book"),
]
