"""Staff screens of the registry, under /registratura/."""

from django.urls import path

from ghiseu.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("nou/", views.entry_create, name="create"),
    path("coada/", views.department_queue, name="queue"),
    path("registru/", views.registry_book, name="book"),
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("<int:pk>/fisa.pdf", views.entry_slip, name="slip"),
    path("<int:pk>/repartizare/", views.entry_assign, name="assign"),
    path("<int:pk>/preluare/", views.entry_start_work, name="start"),
    path("<int:pk>/raspuns/", views.entry_reply, name="reply"),
    path("<int:pk>/solutionare/", views.entry_close, name="close"),
    path("<int:pk>/conexare/", views.entry_link, name="link"),
    path("<int:pk>/atasamente/", views.entry_attach, name="attach"),
    path("<int:pk>/atasamente/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
